//go:build !linux

package miniotest

import "os/exec"

// setParentDeathSignal has no portable equivalent off Linux; Main's cleanup
// stops the server on a normal exit.
func setParentDeathSignal(*exec.Cmd) {}
