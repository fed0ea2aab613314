package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/catalog"
)

func newCatalogCmd(io streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "catalog",
		Short:   "Show the embedded IAM catalog",
		Example: "  tailor catalog info",
	}
	cmd.AddCommand(&cobra.Command{
		Use:     "info",
		Short:   "Print the embedded catalog's data date and counts",
		Example: "  tailor catalog info",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			i := catalog.Embedded().Info()
			fmt.Fprintf(io.Out, "source: %s %s\ndate: %s\nservices: %d\nactions: %d\nresource types: %d\n",
				i.Source, i.Version, i.Date, i.Services, i.Actions, i.ResourceTypes)
			return nil
		},
	})
	return cmd
}
