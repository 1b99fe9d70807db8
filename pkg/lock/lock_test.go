package lock

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestMain lets the test binary be a holder in another process: with
// WSO2KS_LOCK_HOLD=target it takes target's lock, says "held" on stdout
// and keeps it until its stdin closes or it is killed.
func TestMain(m *testing.M) {
	if target := os.Getenv("WSO2KS_LOCK_HOLD"); target != "" {
		l, err := Acquire(target, Options{Command: "wso2ks rotate b --product p1", Wait: time.Second})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println("held")
		bufio.NewReader(os.Stdin).ReadString('\n')
		l.Release()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// holder starts a process holding target's lock and returns it once it
// holds it; closing its stdin lets it release.
func holder(t *testing.T, target string) (*exec.Cmd, func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "WSO2KS_LOCK_HOLD="+target)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "held\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("holder: %q", line)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, func() { stdin.Close(); cmd.Wait() }
}

func TestAcquireWritesHolderAndReleaseRemovesIt(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "new", "deeper", "keystores")
	l, err := Acquire(target, Options{Command: "wso2ks generate -o keystores\n--force\x1b"})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "new", "deeper", ".keystores"+Suffix)
	st, err := os.Lstat(file)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode() != 0o600 {
		t.Errorf("lock file mode %v, want -rw-------", st.Mode())
	}
	want := fmt.Sprintf("%d\nwso2ks generate -o keystores?--force?\n", os.Getpid())
	if got, _ := os.ReadFile(file); string(got) != want {
		t.Errorf("lock file holds %q, want %q", got, want)
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("Acquire created the target")
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	// The directories it made for the lock file go with it.
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestReleaseKeepsDirectoriesInUse(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "new", "keystores")
	l, err := Acquire(target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(target, 0o700); err != nil {
		t.Fatal(err)
	}
	l.Release()
	if _, err := os.Stat(target); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "new", ".keystores"+Suffix)); err == nil {
		t.Error("the lock file is left")
	}
}

func TestBusyNamesTheHolder(t *testing.T) {
	target := filepath.Join(t.TempDir(), "b")
	cmd, release := holder(t, target)
	var saw Holder
	start := time.Now()
	_, err := Acquire(target, Options{Wait: 300 * time.Millisecond, Waiting: func(h Holder) { saw = h }})
	var busy *BusyError
	if !errors.As(err, &busy) || !errors.Is(err, ErrBusy) {
		t.Fatalf("err %v, want a BusyError", err)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("gave up after %v, before the wait was over", d)
	}
	want := fmt.Sprintf("%s is being changed by another wso2ks process (pid %d: wso2ks rotate b --product p1); wait for it to finish and run again, or check that it is not hung",
		target, cmd.Process.Pid)
	if err.Error() != want {
		t.Errorf("error\n%q\nwant\n%q", err, want)
	}
	if saw != busy.Holder {
		t.Errorf("Waiting saw %+v, the error names %+v", saw, busy.Holder)
	}
	release()
	l, err := Acquire(target, Options{Wait: time.Second})
	if err != nil {
		t.Fatalf("after the holder released: %v", err)
	}
	l.Release()
}

func TestWaiterGetsTheLockWhenTheHolderFinishes(t *testing.T) {
	target := filepath.Join(t.TempDir(), "b")
	_, release := holder(t, target)
	time.AfterFunc(200*time.Millisecond, release)
	l, err := Acquire(target, Options{Wait: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	l.Release()
}

func TestKilledHolderBlocksNothing(t *testing.T) {
	target := filepath.Join(t.TempDir(), "b")
	cmd, _ := holder(t, target)
	cmd.Process.Kill()
	cmd.Wait()
	file, _ := File(target)
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("the killed holder's lock file should still be there: %v", err)
	}
	l, err := Acquire(target, Options{Wait: time.Millisecond})
	if err != nil {
		t.Fatalf("a dead holder's lock file blocked: %v", err)
	}
	if got, _ := os.ReadFile(file); !strings.HasPrefix(string(got), fmt.Sprintf("%d\n", os.Getpid())) {
		t.Errorf("the lock file names %q, not this process", got)
	}
	l.Release()
}

func TestStaleLockFileBlocksNothing(t *testing.T) {
	target := filepath.Join(t.TempDir(), "b")
	file, _ := File(target)
	os.WriteFile(file, []byte("999999999\nwso2ks generate --force with a much longer command line than ours\n"), 0o600)
	l, err := Acquire(target, Options{Wait: time.Millisecond, Command: "wso2ks renew b"})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d\nwso2ks renew b\n", os.Getpid())
	if got, _ := os.ReadFile(file); string(got) != want {
		t.Errorf("lock file holds %q, want %q", got, want)
	}
	l.Release()
}

func TestOneHolderAtATime(t *testing.T) {
	// Goroutines open the lock file each for itself, so flock(2) treats
	// them as it treats processes; removing the file on release must not
	// let two of them in at once.
	target := filepath.Join(t.TempDir(), "b")
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 40 {
				l, err := Acquire(target, Options{Wait: 30 * time.Second})
				if err != nil {
					t.Error(err)
					return
				}
				n := inside.Add(1)
				if n > most.Load() {
					most.Store(n)
				}
				time.Sleep(100 * time.Microsecond)
				inside.Add(-1)
				l.Release()
			}
		})
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%d holders at once", most.Load())
	}
}

func TestHolderText(t *testing.T) {
	for _, tt := range []struct {
		file string
		want Holder
		text string
	}{
		{"42\nwso2ks merge a b\n", Holder{42, "wso2ks merge a b"}, "another wso2ks process (pid 42: wso2ks merge a b)"},
		{"42\n", Holder{42, ""}, "another wso2ks process (pid 42)"},
		{"", Holder{}, "another wso2ks process"},
		{"x\ny\n", Holder{}, "another wso2ks process"},
		{"-3\ny\n", Holder{}, "another wso2ks process"},
		{"7\n" + strings.Repeat("é", 300) + "\n", Holder{7, strings.Repeat("é", 199) + "…"}, ""},
	} {
		f, err := os.CreateTemp(t.TempDir(), "")
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(tt.file)
		got := readHolder(f)
		f.Close()
		if got != tt.want {
			t.Errorf("%q: %+v, want %+v", tt.file, got, tt.want)
		}
		if tt.text != "" && got.String() != tt.text {
			t.Errorf("%q: %q, want %q", tt.file, got, tt.text)
		}
	}
}

// TestReleaseLeavesAnotherHoldersFile: a lock file removed by hand while
// held and made anew by another process is that process's to remove.
func TestReleaseLeavesAnotherHoldersFile(t *testing.T) {
	target := filepath.Join(t.TempDir(), "b")
	first, err := Acquire(target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	file, _ := File(target)
	os.Remove(file)
	second, err := Acquire(target, Options{Wait: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	first.Release()
	if _, err := os.Stat(file); err != nil {
		t.Errorf("the first holder removed the second's lock file: %v", err)
	}
	if _, err := Acquire(target, Options{Wait: time.Millisecond}); !errors.Is(err, ErrBusy) {
		t.Errorf("a third process got the lock the second holds: %v", err)
	}
	second.Release()
}
