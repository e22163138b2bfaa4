package cloudformation

import (
	"bytes"
	"regexp"
	"strings"
)

// Marks of a template in the first bytes of a JSON file. The head may end anywhere, so these are searched for
// rather than parsed.
var (
	jsonVersionRE   = regexp.MustCompile(`"AWSTemplateFormatVersion"\s*:`)
	jsonSectionRE   = regexp.MustCompile(`"(?:Resources|Parameters)"\s*:\s*\{`)
	jsonTypeRE      = regexp.MustCompile(`"Type"\s*:\s*"(?:AWS|Alexa|Custom)::`)
	jsonTransformRE = regexp.MustCompile(`"Transform"\s*:\s*(?:\[\s*)?"AWS::`)
)

// yamlTypeRE matches an indented "Type: AWS::Service::Thing" line, quoted or not. Parameters have such types too
// (AWS::EC2::Subnet::Id), which is as good a sign of a template.
var yamlTypeRE = regexp.MustCompile(`^\s+(?:-\s+)?["']?Type["']?\s*:\s*["']?(?:AWS|Alexa|Custom)::`)

// templateSections are the top-level keys a template may have (Globals is SAM's).
var templateSections = map[string]bool{
	"AWSTemplateFormatVersion": true, "Description": true, "Metadata": true, "Parameters": true, "Rules": true,
	"Mappings": true, "Conditions": true, "Transform": true, "Resources": true, "Outputs": true, "Globals": true,
	"Hooks": true,
}

// looksLikeTemplate judges the first bytes of a file.
func looksLikeTemplate(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		return false
	}
	if trimmed[0] == '{' {
		return jsonLooksLikeTemplate(trimmed)
	}
	return yamlLooksLikeTemplate(head)
}

func jsonLooksLikeTemplate(head []byte) bool {
	if jsonVersionRE.Match(head) {
		return true
	}
	// Terraform plans and states (terraform show -json) are the terraform-plan source's.
	if bytes.Contains(head, []byte(`"format_version"`)) && (bytes.Contains(head, []byte(`"planned_values"`)) ||
		bytes.Contains(head, []byte(`"resource_changes"`)) || bytes.Contains(head, []byte(`"terraform_version"`))) {
		return false
	}
	if jsonTransformRE.Match(head) {
		return true
	}
	return jsonSectionRE.Match(head) && jsonTypeRE.Match(head)
}

// yamlLooksLikeTemplate reads the head line by line. A template is recognised by its format version, or by having
// only template sections at the top level with a SAM transform or a "Type: AWS::..." line under Resources or
// Parameters. Any other top-level key (apiVersion, services, jobs, format) rules a file out: Kubernetes manifests,
// Compose files, workflows and walens' own files are not templates.
func yamlLooksLikeTemplate(head []byte) bool {
	keys := map[string]bool{}
	other, typeLine, transform, inTransform := false, false, false, false
	for _, raw := range bytes.Split(head, []byte("\n")) {
		line := strings.TrimRight(string(raw), "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if inTransform && strings.HasPrefix(trimmed, "-") && strings.Contains(trimmed, "AWS::") {
				transform = true
			}
			if yamlTypeRE.MatchString(line) {
				typeLine = true
			}
			continue
		}
		switch {
		case strings.HasPrefix(line, "---"), strings.HasPrefix(line, "..."), line[0] == '%':
			inTransform = false
			continue
		case line[0] == '-':
			// A list at the left margin belongs to the key above it.
			if inTransform && strings.Contains(line, "AWS::") {
				transform = true
			}
			continue
		}
		key, rest, ok := cutKey(line)
		if !ok {
			continue
		}
		keys[key] = true
		if !templateSections[key] {
			other = true
		}
		inTransform = key == "Transform"
		if inTransform && strings.Contains(rest, "AWS::") {
			transform = true
		}
	}
	switch {
	case keys["AWSTemplateFormatVersion"]:
		return true
	case other:
		return false
	case transform:
		return true
	}
	return typeLine && (keys["Resources"] || keys["Parameters"])
}

// cutKey splits a top-level "key: value" line, with the key plain or quoted.
func cutKey(line string) (key, rest string, ok bool) {
	if q := line[0]; q == '"' || q == '\'' {
		end := strings.IndexByte(line[1:], q)
		if end < 0 {
			return "", "", false
		}
		key, rest = line[1:end+1], strings.TrimLeft(line[end+2:], " \t")
		if !strings.HasPrefix(rest, ":") {
			return "", "", false
		}
		return key, rest[1:], true
	}
	i := strings.IndexByte(line, ':')
	if i <= 0 || i+1 < len(line) && line[i+1] != ' ' && line[i+1] != '\t' {
		return "", "", false
	}
	key = strings.TrimRight(line[:i], " \t")
	if strings.ContainsAny(key, " \t{}[],&*!|>") {
		return "", "", false
	}
	return key, line[i+1:], true
}
