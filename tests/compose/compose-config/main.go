// Loads docker-compose.yml with compose-go, the loader Docker Compose itself uses (as `docker
// compose config` does: .env, interpolation, merge keys, schema validation), and prints the
// resolved project as JSON. Usage: go run . <compose file> [profile ...]
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) < 2 {
		return fmt.Errorf("usage: compose-config <compose file> [profile ...]")
	}
	file, err := filepath.Abs(os.Args[1])
	if err != nil {
		return err
	}
	opts, err := cli.NewProjectOptions([]string{file},
		cli.WithWorkingDirectory(filepath.Dir(file)), cli.WithOsEnv, cli.WithEnvFiles(), cli.WithDotEnv,
		cli.WithDefaultProfiles(os.Args[2:]...))
	if err != nil {
		return err
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		return err
	}
	out, err := project.MarshalJSON()
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(out)
	return err
}
