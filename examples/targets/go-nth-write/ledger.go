// The ledger: POST /entries stores the body as an entry file written in three steps (a header,
// the body, a commit marker) and answers 201 with its id; GET /entries/<id> serves an entry
// whose commit marker is there, and 404 otherwise (an entry without one never committed).
// `ledger <port>`; entries live under $FAULTBOX_SERVICE_DIR.
//
// PLANTED BUG (nth-write): the header and body writes are checked, the commit marker's is not,
// so the 3rd write of a request failing turns an acknowledged entry into an uncommitted one.
// Its accept loop is net/http's: on an accept error that never clears it retries for ever, so
// a request can hang (the explorer has to bound such cases itself).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
)

const commitMarker = "\nCOMMIT\n"

var dataDir string
var nextID int64

func reply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("content-type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

func store(id string, body []byte) error {
	f, err := os.OpenFile(filepath.Join(dataDir, id+".entry"), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write([]byte(fmt.Sprintf("ENTRY %s %d\n", id, len(body)))); err != nil {
		return err
	}
	if _, err := f.Write(body); err != nil {
		return err
	}
	f.Write([]byte(commitMarker)) // "the marker is tiny, it always fits"
	return nil
}

func load(id string) (string, bool, error) {
	data, err := os.ReadFile(filepath.Join(dataDir, id+".entry"))
	if os.IsNotExist(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	text := string(data)
	if !strings.HasSuffix(text, commitMarker) {
		return "", false, nil
	}
	_, rest, _ := strings.Cut(strings.TrimSuffix(text, commitMarker), "\n")
	return rest, true, nil
}

func main() {
	dataDir = filepath.Join(os.Getenv("FAULTBOX_SERVICE_DIR"), "entries")
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) { reply(w, 200, map[string]bool{"ok": true}) })
	http.HandleFunc("/entries", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			reply(w, 405, map[string]string{"error": "POST only"})
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			reply(w, 400, map[string]string{"error": err.Error()})
			return
		}
		id := fmt.Sprintf("e%d", atomic.AddInt64(&nextID, 1))
		if err := store(id, body); err != nil {
			reply(w, 500, map[string]string{"error": err.Error()})
			return
		}
		reply(w, 201, map[string]string{"id": id})
	})
	http.HandleFunc("/entries/", func(w http.ResponseWriter, r *http.Request) {
		value, ok, err := load(strings.TrimPrefix(r.URL.Path, "/entries/"))
		switch {
		case err != nil:
			reply(w, 500, map[string]string{"error": err.Error()})
		case !ok:
			reply(w, 404, map[string]string{"error": "no committed entry"})
		default:
			reply(w, 200, map[string]string{"value": value})
		}
	})
	if err := http.ListenAndServe("127.0.0.1:"+os.Args[1], nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
