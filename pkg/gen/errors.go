package gen

import (
	"errors"
	"fmt"
)

// ErrInput marks every error caused by the user's input: a malformed or
// invalid topology, an unknown environment, an unsupported option. The CLI
// maps it to exit code 2.
var ErrInput = errors.New("invalid input")

// InputError is a user's mistake in a topology file, reported like a
// compiler's: file:line:column: message. Line and Column are zero when the
// mistake has no single place (a missing key, say).
type InputError struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *InputError) Error() string {
	switch {
	case e.File == "":
		return e.Msg
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	default:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	}
}

// Is makes every InputError match ErrInput.
func (e *InputError) Is(target error) bool { return target == ErrInput }
