package cli

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// The tests of locks and crashes run wso2ks as real processes, so that
// flock(2) and a process dying are real: the test binary, started with
// WSO2KS_CLI_CHILD=1, runs the command line it is given with testNow as
// its clock and crypto/rand, and acts at the crash points (crashpoint)
// the variables below name.
const (
	// envCrashAt: exit with crashExit at this moment, as a kill would
	// (moment#n: the n-th time it is reached).
	envCrashAt = "WSO2KS_TEST_CRASH_AT"
	// envPauseAt: at this moment create the file envPauseFile+".reached"
	// and wait until envPauseFile exists.
	envPauseAt   = "WSO2KS_TEST_PAUSE_AT"
	envPauseFile = "WSO2KS_TEST_PAUSE_FILE"
	// envSleepAt: sleep sleepFor at this moment (holding the lock longer
	// makes the concurrency tests fail at once where it does not hold).
	envSleepAt = "WSO2KS_TEST_SLEEP_AT"
	// envLog: append "<pid> <moment>" for every moment to this file.
	envLog = "WSO2KS_TEST_LOG"
	// envLockWait: Factory.LockWait.
	envLockWait = "WSO2KS_TEST_LOCK_WAIT"
	// envFailAt: installFailAt, to stop an install in its rollback.
	envFailAt = "WSO2KS_TEST_FAIL_AT"
	// envNoLinks: link(2) fails with EPERM, as on a file system without
	// hard links.
	envNoLinks = "WSO2KS_TEST_NO_LINKS"
)

const (
	crashExit = 97
	sleepFor  = 300 * time.Millisecond
)

func TestMain(m *testing.M) {
	if os.Getenv("WSO2KS_CLI_CHILD") == "1" {
		os.Exit(childMain(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func childMain(args []string) int {
	crashAt, nth, _ := strings.Cut(os.Getenv(envCrashAt), "#")
	if nth == "" {
		nth = "1"
	}
	reached := map[string]int{}
	crashpoint.Hook = func(moment string) {
		reached[moment]++
		if log := os.Getenv(envLog); log != "" {
			fh, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
			if err == nil {
				fmt.Fprintf(fh, "%d %s\n", os.Getpid(), moment)
				fh.Close()
			}
		}
		if moment == crashAt && strconv.Itoa(reached[moment]) == nth {
			os.Exit(crashExit)
		}
		switch moment {
		case os.Getenv(envSleepAt):
			time.Sleep(sleepFor)
		case os.Getenv(envPauseAt):
			file := os.Getenv(envPauseFile)
			os.WriteFile(file+".reached", nil, 0o600)
			for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
				if _, err := os.Stat(file); err == nil {
					return
				}
			}
		}
	}
	if n, err := strconv.Atoi(os.Getenv(envFailAt)); err == nil {
		installFailAt = n
	}
	if os.Getenv(envNoLinks) == "1" {
		link = noLinks
	}
	wait, _ := time.ParseDuration(os.Getenv(envLockWait))
	f := &Factory{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Now:      func() time.Time { return testNow },
		Rand:     rand.Reader,
		ReadFile: infile.Read,
		Getenv:   os.LookupEnv,
		LockWait: wait,
	}
	return Run(f, args)
}

// child is one wso2ks process a test started.
type child struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{} // closed when it ended, with err
	err            error
}

// start starts wso2ks args in a new process with env (envCrashAt=… and the
// like) added to its environment.
func start(t *testing.T, env []string, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], args...), done: make(chan struct{})}
	c.cmd.Env = append(append(os.Environ(), "WSO2KS_CLI_CHILD=1"), env...)
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		c.err = c.cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.done
	})
	return c
}

// wait waits for the process to end and returns what a user saw.
func (c *child) wait(t *testing.T) result {
	t.Helper()
	<-c.done
	var exit *exec.ExitError
	if c.err != nil && !errors.As(c.err, &exit) {
		t.Fatal(c.err)
	}
	return result{c.cmd.ProcessState.ExitCode(), c.stdout.String(), c.stderr.String()}
}

// runProcess runs wso2ks args in a new process and waits for it.
func runProcess(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return start(t, env, args...).wait(t)
}

// mustRun runs wso2ks args in a new process and fails the test unless it
// succeeds.
func mustRun(t *testing.T, args ...string) result {
	t.Helper()
	r := runProcess(t, nil, args...)
	if r.code != 0 {
		t.Fatalf("wso2ks %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// paused starts wso2ks args and returns once it holds its target's lock,
// paused there, with a function that lets it go on.
func paused(t *testing.T, args ...string) (*child, func() result) {
	t.Helper()
	file := t.TempDir() + "/go"
	c := start(t, []string{envPauseAt + "=" + crashpoint.LockHeld, envPauseFile + "=" + file}, args...)
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(file + ".reached"); err == nil {
			break
		}
		select {
		case <-c.done:
			r := c.wait(t)
			t.Fatalf("wso2ks %s ended before it took its lock: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("wso2ks %s never took its lock", strings.Join(args, " "))
		}
	}
	return c, func() result {
		os.WriteFile(file, nil, 0o600)
		return c.wait(t)
	}
}
