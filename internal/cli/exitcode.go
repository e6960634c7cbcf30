package cli

// Exit codes, in one place so scripts and CI can rely on them.
const (
	ExitOK          = 0   // success
	ExitFailure     = 1   // invalid input or a failed step
	ExitUsage       = 2   // bad flags or arguments
	ExitInterrupted = 130 // SIGINT or SIGTERM
)
