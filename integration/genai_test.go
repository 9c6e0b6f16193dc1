package integration

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/genai"

	"github.com/genaix/genaix-go"
)

const geminiKey = "test-key"

func newGenAI(t *testing.T, h *harness, srv *server) *genai.Client {
	t.Helper()
	client, err := genai.NewClient(context.Background(), &genai.ClientConfig{
		HTTPClient:  h.httpClient(),
		HTTPOptions: genai.HTTPOptions{BaseURL: srv.URL},
		APIKey:      geminiKey,
		Backend:     genai.BackendGeminiAPI,
	})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func checkGeminiKey(t *testing.T, h *harness, req request) {
	t.Helper()
	if got := req.header.Get("X-Goog-Api-Key"); got != geminiKey {
		t.Errorf("server saw x-goog-api-key %q", got)
	}
	if strings.Contains(req.query, geminiKey) {
		t.Errorf("key sent in the query %q", req.query)
	}
	noSecret(t, h.spans(), geminiKey)
}

func geminiConfig() *genai.GenerateContentConfig {
	return &genai.GenerateContentConfig{
		SystemInstruction: genai.NewContentFromText("You track orders for Acme Logistics.", genai.RoleUser),
		Temperature:       genai.Ptr[float32](0.5),
		TopK:              genai.Ptr[float32](40),
		MaxOutputTokens:   1024,
		Tools: []*genai.Tool{{FunctionDeclarations: []*genai.FunctionDeclaration{{
			Name:        "lookup_order",
			Description: "Look up an order by its id.",
			Parameters: &genai.Schema{
				Type:       genai.TypeObject,
				Properties: map[string]*genai.Schema{"order_id": {Type: genai.TypeString}},
				Required:   []string{"order_id"},
			},
		}}}},
	}
}

// The wire-parser fixture gemini_generate_response.json has a thoughtSignature
// that is not valid base64, which genai cannot decode; this test replays a
// fixture of its own of the same shape.
func TestGenAIGenerateContent(t *testing.T) {
	h := newHarness(t)
	srv := serve(t, jsonReply(ownFixture(t, "gemini_generate_response_tool.json")))
	client := newGenAI(t, h, srv)

	resp, err := client.Models.GenerateContent(context.Background(), "gemini-2.5-flash",
		genai.Text("Where is order A17?"), geminiConfig())
	if err != nil {
		t.Fatal(err)
	}
	// The caller got the fixture's data.
	if resp.ResponseID != "k3Jd-Z8vB4mQx2LpR7sT0a" || resp.ModelVersion != "gemini-2.5-flash" ||
		len(resp.Candidates) != 1 || resp.Candidates[0].FinishReason != genai.FinishReasonStop ||
		resp.UsageMetadata.PromptTokenCount != 4210 || resp.UsageMetadata.CachedContentTokenCount != 4096 ||
		resp.UsageMetadata.CandidatesTokenCount != 38 || resp.UsageMetadata.ThoughtsTokenCount != 212 ||
		resp.Candidates[0].Content.Parts[0].Text != "Looking that order up." || len(resp.Candidates[0].Content.Parts[0].ThoughtSignature) != 24 {
		t.Fatalf("SDK decoded %+v", resp)
	}
	fc := resp.FunctionCalls()
	if len(fc) != 1 || fc[0].Name != "lookup_order" || fc[0].Args["order_id"] != "A17" || fc[0].Args["include_history"] != true {
		t.Errorf("SDK decoded function calls %+v", fc)
	}

	req := srv.onlyRequest(t)
	if req.path != "/v1beta/models/gemini-2.5-flash:generateContent" {
		t.Errorf("server got %s", req.path)
	}
	body := req.jsonBody(t)
	if _, ok := body["model"]; ok {
		t.Errorf("genai put the model in the body: %s", req.body)
	}
	s := h.only(t)
	// The model is only in the URL. Gemini reports thoughts outside
	// candidatesTokenCount: output = 38 + 212 = 250. promptTokenCount already
	// includes the 4096 cached tokens.
	//
	// gemini-2.5-flash ($0.30 in, $2.50 out and reasoning, $0.075 cache read per M):
	//	uncached  (4210 − 4096) = 114 × 0.30 × 1000 =  34,200 n$
	//	cache read       4096 × 0.075 × 1000        = 307,200 n$
	//	input                                       = 341,400 n$
	//	visible output     38 × 2.50 × 1000         =  95,000 n$
	//	thoughts          212 × 2.50 × 1000         = 530,000 n$
	//	output                                      = 625,000 n$
	//	total                                       = 966,400 n$
	want := call{
		name: "generate_content gemini-2.5-flash", operation: "generate_content", provider: "gcp.gemini",
		reqModel: "gemini-2.5-flash", respModel: "gemini-2.5-flash",
		respID: "k3Jd-Z8vB4mQx2LpR7sT0a", finish: []string{"STOP"},
		in: 4210, out: 250, cacheRead: 4096, reasoning: 212,
		cost:      costs{total: 966_400, input: 341_400, output: 625_000, cacheRead: 307_200, reasoning: 530_000},
		priceKey:  "gemini-2.5-flash",
		toolNames: []string{"lookup_order"}, toolIDs: []string{""}, // Gemini sent no functionCall.id
	}
	checkCall(t, s, srv, want)
	wantAttr(t, s, genaix.RequestTemperatureKey, 0.5)
	wantAttr(t, s, genaix.RequestTopKKey, 40.0)
	wantAttr(t, s, genaix.RequestMaxTokensKey, 1024)
	checkMetrics(t, h, want)
	checkGeminiKey(t, h, req)
}

func TestGenAIGenerateContentStream(t *testing.T) {
	h := newHarness(t)
	srv := serve(t, sseReply(wireFixture(t, "gemini_generate_stream.sse")))
	client := newGenAI(t, h, srv)

	var text, thoughts strings.Builder
	var last *genai.GenerateContentResponse
	chunks := 0
	for resp, err := range client.Models.GenerateContentStream(context.Background(), "gemini-2.5-flash",
		genai.Text("When does order A17 arrive?"), geminiConfig()) {
		if err != nil {
			t.Fatal(err)
		}
		chunks++
		last = resp
		for _, p := range resp.Candidates[0].Content.Parts {
			if p.Thought {
				thoughts.WriteString(p.Text)
			} else {
				text.WriteString(p.Text)
			}
		}
	}
	if chunks != 3 || text.String() != "Order A17 arrives Monday." ||
		!strings.HasPrefix(thoughts.String(), "**Checking the order**") ||
		last.ResponseID != "Q4ZbaeXgK8ODz7IP3rGx2Qk" || last.Candidates[0].FinishReason != genai.FinishReasonStop ||
		last.UsageMetadata.CandidatesTokenCount != 6 || last.UsageMetadata.ThoughtsTokenCount != 18 {
		t.Errorf("SDK decoded %d chunks: text %q thoughts %q last %+v", chunks, text.String(), thoughts.String(), last)
	}

	req := srv.onlyRequest(t)
	if req.path != "/v1beta/models/gemini-2.5-flash:streamGenerateContent" || req.query != "alt=sse" {
		t.Errorf("server got %s?%s", req.path, req.query)
	}
	// The stream is implied by the verb. usageMetadata is a running total:
	// the last chunk's counts, with thoughts added to the output: 6 + 18 = 24.
	//	input      12 × 0.30 × 1000 =  3,600 n$
	//	visible     6 × 2.50 × 1000 = 15,000 n$
	//	thoughts   18 × 2.50 × 1000 = 45,000 n$
	//	output                      = 60,000 n$
	//	total                       = 63,600 n$
	want := call{
		name: "generate_content gemini-2.5-flash", operation: "generate_content", provider: "gcp.gemini",
		reqModel: "gemini-2.5-flash", respModel: "gemini-2.5-flash",
		respID: "Q4ZbaeXgK8ODz7IP3rGx2Qk", finish: []string{"STOP"}, stream: true,
		in: 12, out: 24, reasoning: 18,
		cost:     costs{total: 63_600, input: 3_600, output: 60_000, reasoning: 45_000},
		priceKey: "gemini-2.5-flash",
	}
	checkCall(t, h.only(t), srv, want)
	checkMetrics(t, h, want)
	checkGeminiKey(t, h, req)
}
