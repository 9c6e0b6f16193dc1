// Package pricing prices LLM calls from their token usage, offline, with
// price tables the user supplies.
//
// # Units
//
// A [Price] is in US dollars per million tokens. A [Cost] is in [Nanos],
// billionths of a dollar, so that sums of many calls stay exact; each
// billing bucket costs round(tokens × rate × 1000) Nanos.
//
// # Usage and billing buckets
//
// A [Usage] follows the OpenTelemetry GenAI conventions: InputTokens
// includes cached tokens and OutputTokens includes reasoning tokens. [Price.Cost]
// splits them into buckets so that no token is priced twice: uncached input,
// cache reads, 5-minute and 1-hour cache writes, non-reasoning output and
// reasoning. Optional rates fall back when zero: CacheRead and CacheWrite to
// Input, CacheWrite1h to CacheWrite (then Input), Reasoning to Output. So a
// zero rate cannot mean "free" for those: give a tiny rate instead.
//
// Long-context pricing is a [Tier]: when a call's input total (cached tokens
// included) is above a tier's threshold, that tier's rates price the whole
// call. For example, with Input 3 and a tier above 200,000 tokens at Input 6,
// a call of exactly 200,000 input tokens costs $0.60 and one of 200,001
// costs $1.200006.
//
// # Matching model names
//
// A [Table] maps the model name a call reports to a price, deterministically
// and explainably: [Table.Lookup] returns a [Match] naming the key that
// priced the model and how it was found. Stages are tried in order, the
// first hit winning; within each, the explicit prices given to [NewTable]
// come before every catalog, and earlier catalogs before later ones.
//
//  1. HowExact: the model name is a key, as given or lower-cased
//     ("GPT-4o" finds "gpt-4o").
//  2. HowProvider: "<alias>/<model>" is a key, where the aliases of the
//     gen_ai.provider.name are the prefixes price tables use: "azure" for
//     azure.ai.openai, "bedrock" and "aws" for aws.bedrock, "vertex_ai" and
//     "google" for gcp.vertex_ai, "gemini" and "google" for gcp.gemini,
//     "mistral" for mistral_ai, "xai" and "x-ai" for x_ai, "together_ai"
//     for together, and always the provider name itself. Model "gpt-4.1"
//     from azure.ai.openai finds "azure/gpt-4.1" if no table has a key
//     "gpt-4.1": an exact key comes first, so a provider-qualified key
//     prices a provider differently only where the bare name is not a key.
//  3. HowRule: a catalog [Rule] (such as a genai-prices match clause)
//     accepts the lower-cased name. Rules keyed under one of the provider's
//     aliases are tried first, then all rules in order.
//  4. HowNormalized: the name is normalised step by step and each step is
//     tried against the keys normalised the same way. The steps are:
//     lower-case; strip provider prefixes ("openai/", "azure/",
//     "bedrock/", "vertex_ai/", "gemini/", "models/", … repeatedly, and
//     "openrouter/<vendor>/"); strip a Bedrock region before a vendor
//     ("us.", "eu.", "apac.", "global.", "us-gov.", …) and the vendor
//     ("anthropic.claude-…" → "claude-…"); then strip suffixes repeatedly:
//     a Bedrock version ("-v1:0"), a Vertex "@YYYYMMDD" or "@latest",
//     "-latest", and a date ("-YYYY-MM-DD", "-YYYYMMDD", "-MM-DD", "-MMDD",
//     only if it is a real calendar date). So
//     "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
//     "claude-sonnet-4-5@20250929" and "claude-sonnet-4-5-20250929" all
//     reach "claude-sonnet-4-5", and "openrouter/openai/gpt-4o-2024-08-06"
//     reaches "gpt-4o"; a key "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0"
//     prices the model "claude-sonnet-4-5-20250929". The less stripped
//     forms are tried first, so a dated key beats an undated one. When
//     several keys share a form, the one qualified with the caller's
//     provider alias wins, then the one that needed the fewest steps to
//     reach it (a key equal to it needs none), then the lexicographically
//     smallest.
//
// Names are never matched by a bare prefix: only whole path segments,
// Bedrock regions and vendors, versions and genuine dates are removed. So
// "gpt-4o-mini" never gets the price of "gpt-4o" (nor the reverse), "o1-mini"
// never that of "o1", and "claude-opus-4-7" never that of "claude-opus-4".
// A model no stage finds is not found: callers should record it as unpriced,
// never as free.
//
// Lookups are memoised, found or not, for up to 10,000 (provider, model)
// pairs; a repeated Lookup takes tens of nanoseconds and does not allocate.
// Names longer than 256 bytes (no real model name is) are not normalised
// and not memoised.
//
// # Loading price files
//
// Users point the table at price files they already keep. Each loader
// returns a [Catalog] or an error naming the bad entry and field; a file is
// never half loaded.
//
//   - [ParseLiteLLM]: LiteLLM's model_prices_and_context_window.json (costs
//     per token, converted to per million).
//   - [ParseGenAIPrices]: the data.json of pydantic's genai-prices, with its
//     match clauses as Rules and its conditional prices resolved at a time.
//   - [ParseGenaix]: the small genaix format below.
//   - [Parse] tells the three apart; [LoadFile] reads a file and parses it.
//
// # The genaix format
//
// A genaix price file is a JSON object with the schema name and a map of
// model names (table keys, which may be provider-qualified) to rates in US
// dollars per million tokens:
//
//	{
//	  "schema": "genaix.prices/v1",
//	  "models": {
//	    "gpt-4o": {"input": 2.5, "output": 10, "cache_read": 1.25},
//	    "claude-sonnet-4-5": {
//	      "input": 3, "output": 15,
//	      "cache_read": 0.3, "cache_write": 3.75, "cache_write_1h": 6,
//	      "tiers": [{"above_input_tokens": 200000, "input": 6, "output": 22.5,
//	                 "cache_read": 0.6, "cache_write": 7.5, "cache_write_1h": 12}]
//	    },
//	    "azure/o3": {"input": 2, "output": 8, "reasoning": 8}
//	  }
//	}
//
// "input" and "output" are required, in each tier too; "cache_read",
// "cache_write" (5-minute), "cache_write_1h" and "reasoning" are optional and
// fall back as described above, a tier's to the tier's own rates. Tiers
// need a distinct "above_input_tokens". Unknown fields are errors, so a typo
// cannot silently price a call wrong.
package pricing
