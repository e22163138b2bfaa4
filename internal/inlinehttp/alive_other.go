//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package inlinehttp

import "net"

// alive cannot peek without blocking here; a connection closed while idle costs one retry instead.
func alive(net.Conn) bool { return true }
