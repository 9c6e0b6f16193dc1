package genaix_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestREADMEAttributeTable checks that the README's attribute reference lists
// exactly the keys of the catalogue in attributes.go.
func TestREADMEAttributeTable(t *testing.T) {
	catalogue := catalogueKeys(t)
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

// catalogueKeys reads the attribute keys attributes.go defines: literal
// attribute.Key values, and semconv constants resolved from the semconv
// v1.41.0 source the module builds with.
func catalogueKeys(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "go.opentelemetry.io/otel").Output()
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "semconv", "v1.41.0", "attribute_group.go"))
	if err != nil {
		t.Fatal(err)
	}
	semconv := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\s*(\w+Key) = attribute\.Key\("([^"]+)"\)`).FindAllStringSubmatch(string(src), -1) {
		semconv[m[1]] = m[2]
	}
	f, err := parser.ParseFile(token.NewFileSet(), "attributes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, v := range vs.Values {
				switch e := v.(type) {
				case *ast.CallExpr: // attribute.Key("...")
					if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Key" && len(e.Args) == 1 {
						lit, _ := strconv.Unquote(e.Args[0].(*ast.BasicLit).Value)
						keys = append(keys, lit)
					}
				case *ast.SelectorExpr: // semconv.XKey
					if x, ok := e.X.(*ast.Ident); ok && x.Name == "semconv" {
						k, found := semconv[e.Sel.Name]
						if !found {
							t.Fatalf("semconv.%s not found in semconv v1.41.0", e.Sel.Name)
						}
						keys = append(keys, k)
					}
				case *ast.BasicLit: // MetadataKeyPrefix
					if vs.Names[i].Name == "MetadataKeyPrefix" {
						lit, _ := strconv.Unquote(e.Value)
						keys = append(keys, lit+"<key>")
					}
				}
			}
		}
	}
	return keys
}
