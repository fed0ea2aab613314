package miniotest

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal makes the kernel kill MinIO if the test binary dies
// without running Main's cleanup (a timeout panic, a kill), so no server is
// left holding a port.
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
