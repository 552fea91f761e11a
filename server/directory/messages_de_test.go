package directory

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryInputErrorHasGerman: every invalidf format in the package has
// a German text with the same number of arguments, so no English reaches
// a child or a secretary through the client.
func TestEveryInputErrorHasGerman(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "invalidf" || len(call.Args) == 0 {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				return true // the definition's own format parameter
			}
			format, _ := strconv.Unquote(lit.Value)
			found++
			de, ok := germanFormats[format]
			if !ok {
				if format != "%w" {
					t.Errorf("%s: no German text for %q", fset.Position(call.Pos()), format)
				}
				return true
			}
			if strings.Count(de, "%") != strings.Count(format, "%") {
				t.Errorf("German %q and English %q take different arguments", de, format)
			}
			return true
		})
	}
	if found < 20 {
		t.Fatalf("found only %d invalidf calls", found)
	}
}

func TestGerman(t *testing.T) {
	if got, ok := German(invalidf("the %s must not be empty", "first name")); !ok || got != "Bitte den Vornamen angeben." {
		t.Errorf("got %q, %v", got, ok)
	}
	if got, ok := German(invalidf("%q is not a class name like 3a", "x y")); !ok || got != "„x y“ ist kein Klassenname wie 3a." {
		t.Errorf("got %q, %v", got, ok)
	}
	if _, ok := German(ErrInvalidCredentials); ok {
		t.Error("an error without German text reported one")
	}
}
