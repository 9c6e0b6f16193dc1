package wire

import "github.com/genaix/genaix-go/pricing"

// OpenAI Embeddings (wire-formats §9). The vectors never reach this
// handler: topFilter drops the data member while the body is buffered.

type openAIEmbeddingsHandler struct{}

func (openAIEmbeddingsHandler) event(c *collector, _, data []byte) { embeddingsBody(c, data) }
func (openAIEmbeddingsHandler) body(c *collector, data []byte)     { embeddingsBody(c, data) }
func (openAIEmbeddingsHandler) finish(*collector)                  {}

func embeddingsBody(c *collector, data []byte) {
	o := objectOf(data)
	for o.next() {
		switch string(o.key) {
		case "model":
			c.setModel(o.val)
		case "id":
			c.setID(o.val)
		case "usage":
			if isObject(o.val) {
				c.setUsage(embeddingUsage(parseOpenAIUsage(o.val).normalise()))
			}
		case "error":
			inStreamError(c, o.val)
		}
	}
}

// embeddingUsage marks the output of an embeddings call as missing.
func embeddingUsage(u pricing.Usage, ok bool) (pricing.Usage, bool) {
	u.OutputTokens = 0
	u.ReasoningTokens = 0
	u.Missing |= pricing.MissingOutput
	return u, ok && u.HasInput()
}

// openAIEmbeddings reads an Embeddings request.
func (rp *reqParser) openAIEmbeddings(body []byte) {
	r := rp.r
	o := objectOf(body)
	for o.next() {
		switch string(o.key) {
		case "model":
			r.Model = str(o.val)
		case "encoding_format":
			if nonEmptyString(o.val) {
				r.EncodingFormats = []string{str(o.val)}
			}
		case "dimensions":
			setInt(&r.Dimensions, o.val)
		}
	}
}
