// Package wire parses the wire formats of LLM provider APIs: the request
// line, the request body and the response body (whole or streamed) of OpenAI
// Chat Completions, Responses, Embeddings and legacy Completions, Anthropic
// Messages, Gemini generateContent and embedContent, Ollama's native API and
// Cohere v2 chat.
//
// The model has four steps, each usable on its own:
//
//  1. Detect looks at the method, URL and content type of a request and
//     says which API it is (from the path), which provider serves it (from the
//     host), and what the URL itself carries (the Gemini model, the Azure
//     deployment, whether a Gemini call streams).
//  2. ParseRequest reads the request body: model, sampling parameters, tool
//     names, stream flags and, when content capture is on, the input messages
//     in the OpenTelemetry GenAI parts shape.
//  3. NewResponseParser returns a parser that is fed exactly the bytes the
//     caller reads from the response body, in whatever chunks they arrive. It
//     frames them by content type (server-sent events, NDJSON or one buffered
//     JSON body), keeps memory bounded whatever the input, and reports the
//     first content-bearing event through Options.OnFirstContent.
//  4. Finish returns the Result: response id and model, finish reasons,
//     usage normalised to OpenTelemetry semantics (input includes cached
//     tokens, output includes reasoning), tool calls, error type, and, when
//     capture is on, the output messages.
//
// Sniff does step 4 for a value an SDK returned, from its JSON encoding.
//
// The package has no dependencies beyond the standard library and the
// module's pricing package, never does I/O, never panics on any input and
// never retains a caller's buffer. It reads JSON with its own small scanner
// so that streams are parsed without per-event allocation and without ever
// decoding large arrays such as embedding vectors. Long streams are mostly
// chunks that differ only in their text: those are passed over against a
// template learned from the first such chunk (template.go), at a few
// vectorised compares per chunk.
package wire
