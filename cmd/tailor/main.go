// Command tailor reads CloudTrail logs and writes least-privilege IAM
// policies scoped to the resources each principal really used.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := execute(ctx, os.Args[1:], systemStreams())
	stop()
	os.Exit(code)
}
