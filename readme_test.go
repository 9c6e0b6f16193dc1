package genaix_test

import (
	"go/importer"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestREADMEAttributeTable checks that the README's attribute reference lists
// exactly the keys of the catalogue in attributes.go.
func TestREADMEAttributeTable(t *testing.T) {
	fset := token.NewFileSet()
	pkg, err := importer.ForCompiler(fset, "source", nil).Import("github.com/genaix/genaix-go")
	if err != nil {
		t.Fatal(err)
	}
	var catalogue []string
	for _, name := range pkg.Scope().Names() {
		c, ok := pkg.Scope().Lookup(name).(*types.Const)
		if !ok || filepath.Base(fset.Position(c.Pos()).Filename) != "attributes.go" {
			continue
		}
		v := strings.Trim(c.Val().String(), `"`)
		switch {
		case c.Type().String() == "go.opentelemetry.io/otel/attribute.Key":
			catalogue = append(catalogue, v)
		case name == "MetadataKeyPrefix":
			catalogue = append(catalogue, v+"<key>")
		}
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	begin, end := strings.Index(string(readme), "<!-- attributes:begin -->"), strings.Index(string(readme), "<!-- attributes:end -->")
	if begin < 0 || end < begin {
		t.Fatal("README.md has no attributes:begin/end section")
	}
	var documented []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([^`]+)`").FindAllStringSubmatch(string(readme)[begin:end], -1) {
		documented = append(documented, m[1])
	}
	slices.Sort(catalogue)
	slices.Sort(documented)
	for _, k := range catalogue {
		if _, found := slices.BinarySearch(documented, k); !found {
			t.Errorf("attributes.go key %q is missing from the README table", k)
		}
	}
	for _, k := range documented {
		if _, found := slices.BinarySearch(catalogue, k); !found {
			t.Errorf("README documents %q, which attributes.go does not define", k)
		}
	}
	if len(catalogue) < 40 {
		t.Errorf("only %d catalogue keys found; the lookup is broken", len(catalogue))
	}
}
