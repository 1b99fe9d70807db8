package lock

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"unicode"
)

// ErrBusy is what a *BusyError is: another process holds the target.
var ErrBusy = errors.New("held by another process")

// Holder is the process a lock file names: the pid and command line it
// wrote. A zero PID means the file named none (it was empty or not ours).
type Holder struct {
	PID     int
	Command string
}

func (h Holder) String() string {
	switch {
	case h.PID == 0:
		return "another wso2ks process"
	case h.Command == "":
		return fmt.Sprintf("another wso2ks process (pid %d)", h.PID)
	}
	return fmt.Sprintf("another wso2ks process (pid %d: %s)", h.PID, h.Command)
}

// BusyError is returned when the wait for a target ran out.
type BusyError struct {
	Target string
	Holder Holder
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("%s is being changed by %s; wait for it to finish and run again, or check that it is not hung",
		e.Target, e.Holder)
}

func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// maxHolder bounds what is read of a lock file and shown of its command.
const (
	maxHolder  = 4096
	maxCommand = 200
)

// readHolder reads the pid and command line the holder wrote into f.
func readHolder(f *os.File) Holder {
	buf := make([]byte, maxHolder)
	n, _ := f.ReadAt(buf, 0)
	pid, command, _ := strings.Cut(string(buf[:n]), "\n")
	p, err := strconv.Atoi(pid)
	if err != nil || p <= 0 {
		return Holder{}
	}
	command, _, _ = strings.Cut(command, "\n")
	return Holder{PID: p, Command: oneLine(command)}
}

// oneLine keeps a command line to one line of printable characters, cut
// to maxCommand, so that it reads safely in an error message.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return '?'
	}, s)
	if r := []rune(s); len(r) > maxCommand {
		s = string(r[:maxCommand-1]) + "…"
	}
	return s
}
