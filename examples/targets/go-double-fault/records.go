// Two services in one binary. `records store <port>`: the primary store, an in-memory TCP line
// service (`SET <id> <value>` -> `OK`, `GET <id>` -> `VAL <value>` or `NONE`).
// `records api <port> <storePort>`: POST /records stores the body under a fresh id in the store;
// when the store cannot be reached the record goes to a local journal (under
// $FAULTBOX_SERVICE_DIR) and the answer is 202. GET /records/<id> asks the store, then the journal.
//
// PLANTED BUG (double-fault): the journal append is "best effort": when it fails too, the record
// is in neither place, yet the client is told 202 Accepted. A store failure alone is covered by
// the journal, a journal failure alone never matters; only both at once lose a record.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
)

func runStore(port string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	records := map[string]string{}
	for {
		conn, err := ln.Accept()
		if err != nil {
			continue // a failed accept is the client's problem
		}
		go func() {
			defer conn.Close()
			lines := bufio.NewScanner(conn)
			for lines.Scan() {
				cmd, rest, _ := strings.Cut(lines.Text(), " ")
				id, value, _ := strings.Cut(rest, " ")
				answer := "ERR"
				mu.Lock()
				switch cmd {
				case "SET":
					records[id] = value
					answer = "OK"
				case "GET":
					if v, ok := records[id]; ok {
						answer = "VAL " + v
					} else {
						answer = "NONE"
					}
				}
				mu.Unlock()
				if _, err := io.WriteString(conn, answer+"\n"); err != nil {
					return
				}
			}
		}()
	}
}

// askStore sends one line and returns the store's one-line answer.
func askStore(addr, line string) (string, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, line+"\n"); err != nil {
		return "", err
	}
	answer, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(answer, "\n"), nil
}

// unreachable: the connect itself failed, so the store surely lacks the record.
func unreachable(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial" && errors.Is(err, syscall.ECONNREFUSED)
}

func journaled(journal, id string) (string, bool) {
	data, err := os.ReadFile(journal)
	if err != nil {
		return "", false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, id+" ") {
			return strings.TrimPrefix(line, id+" "), true
		}
	}
	return "", false
}

func reply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("content-type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

func runAPI(port, storePort string) error {
	storeAddr := "127.0.0.1:" + storePort
	journal := filepath.Join(os.Getenv("FAULTBOX_SERVICE_DIR"), "journal.log")
	var nextID int64
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) { reply(w, 200, map[string]bool{"ok": true}) })
	http.HandleFunc("/records", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil || r.Method != http.MethodPost {
			reply(w, 400, map[string]string{"error": "POST a body"})
			return
		}
		id := fmt.Sprintf("r%d", atomic.AddInt64(&nextID, 1))
		value := strings.Join(strings.Fields(string(body)), " ")
		answer, err := askStore(storeAddr, "SET "+id+" "+value)
		if err == nil && answer == "OK" {
			reply(w, 201, map[string]string{"id": id})
			return
		}
		if !unreachable(err) {
			reply(w, 503, map[string]string{"error": "store failed; retry"})
			return
		}
		if f, err := os.OpenFile(journal, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644); err == nil {
			f.Write([]byte(id + " " + value + "\n")) // best effort: the store is the source of truth
			f.Close()
		}
		reply(w, 202, map[string]any{"id": id, "journaled": true})
	})
	http.HandleFunc("/records/", func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/records/")
		answer, err := askStore(storeAddr, "GET "+id)
		if err == nil && strings.HasPrefix(answer, "VAL ") {
			reply(w, 200, map[string]string{"value": strings.TrimPrefix(answer, "VAL ")})
			return
		}
		if v, ok := journaled(journal, id); ok {
			reply(w, 200, map[string]string{"value": v})
			return
		}
		if err == nil && answer == "NONE" {
			reply(w, 404, map[string]string{"error": "no record " + id})
			return
		}
		reply(w, 503, map[string]string{"error": "store unavailable"})
	})
	return http.ListenAndServe("127.0.0.1:"+port, nil)
}

func main() {
	var err error
	switch {
	case len(os.Args) == 3 && os.Args[1] == "store":
		err = runStore(os.Args[2])
	case len(os.Args) == 4 && os.Args[1] == "api":
		err = runAPI(os.Args[2], os.Args[3])
	default:
		err = errors.New("usage: records store <port> | records api <port> <storePort>")
	}
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
