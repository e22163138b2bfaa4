//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package inlinehttp

import (
	"errors"
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// alive peeks at an idle connection without blocking: a server that closed it has left an EOF (or a reset) to
// read, and a live one nothing at all. Data where none was asked for also disqualifies it. One system call; it
// spares most requests the retry that a connection closed while idle would otherwise cost.
func alive(nc net.Conn) bool {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return true
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	ok = false
	var buf [1]byte
	err = raw.Read(func(fd uintptr) bool {
		n, _, rerr := unix.Recvfrom(int(fd), buf[:], unix.MSG_PEEK|unix.MSG_DONTWAIT)
		_ = n
		ok = (errors.Is(rerr, unix.EAGAIN) || errors.Is(rerr, unix.EWOULDBLOCK))
		return true // never wait for readiness
	})
	return err == nil && ok
}
