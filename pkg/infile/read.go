package infile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrRefused matches every *Error: a file wso2ks will not read.
var ErrRefused = errors.New("file refused")

// Error is a file refused for what it is or for its size. Path is the
// path as the user gave it; Reason says what is wrong and what to give
// instead, without the path ("is a named pipe (FIFO), not a regular file;
// give a topology file").
type Error struct {
	Path   string
	Reason string
}

func (e *Error) Error() string { return e.Path + " " + e.Reason }

// Is makes every *Error match ErrRefused.
func (e *Error) Is(target error) bool { return target == ErrRefused }

// Read reads the file name holds, which must be a regular file of at most
// k.Max bytes (symbolic links are followed). It opens the file without
// blocking, so a FIFO is refused rather than waited on, checks the open
// file, not the path, and reads at most k.Max+1 bytes: a file that grows
// between the check and the read is refused too. Errors opening the file
// are returned as they are (*fs.PathError).
func Read(name string, k Kind) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	return read(f, name, k)
}

// ReadIn reads name inside root as Read does: neither name nor a
// symbolic link leads outside root. Errors name the file as root's name
// joined with name.
func ReadIn(root *os.Root, name string, k Kind) ([]byte, error) {
	f, err := root.OpenFile(name, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	return read(f, filepath.Join(root.Name(), name), k)
}

// ReadOpen reads f, which the caller opened (without blocking on a FIFO)
// and ReadOpen closes, as Read does; errors name the file as shown.
func ReadOpen(f *os.File, shown string, k Kind) ([]byte, error) { return read(f, shown, k) }

func read(f *os.File, shown string, k Kind) ([]byte, error) {
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &Error{shown, fmt.Sprintf("is %s, not a regular file; give %s", typeName(st.Mode()), k.What)}
	}
	if st.Size() > k.Max {
		return nil, &Error{shown, fmt.Sprintf("is %s; %s is at most %s", sizeOver(st.Size(), k.Max), k.What, Size(k.Max))}
	}
	// The size is a hint: a file may grow after the check, and /proc
	// reports 0.
	data, err := io.ReadAll(io.LimitReader(f, k.Max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > k.Max {
		return nil, &Error{shown, fmt.Sprintf("is more than %s; %s is at most %s", Size(k.Max), k.What, Size(k.Max))}
	}
	return data, nil
}

// typeName names a file type that is not a regular file.
func typeName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "an irregular file"
}

// Size writes n bytes for a person: "1 MiB", "64 KiB", "5.0 GiB", "900
// bytes". Exact multiples of a unit have no decimals.
func Size(n int64) string {
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	if n < kib {
		return fmt.Sprintf("%d bytes", n)
	}
	v, unit := float64(n)/kib, units[0]
	for i := 1; v >= 1024 && i < len(units); i++ {
		v, unit = v/1024, units[i]
	}
	if v == float64(int64(v)) && n%kib == 0 {
		return fmt.Sprintf("%d %s", int64(v), unit)
	}
	return fmt.Sprintf("%.1f %s", v, unit)
}

// sizeOver writes n, a size over max, so that it does not read as max:
// in bytes when it is within a tenth of it ("1048577 bytes", not "1.0
// MiB").
func sizeOver(n, max int64) string {
	if n-max < max/10 {
		return fmt.Sprintf("%d bytes", n)
	}
	return Size(n)
}
