import TokenCore

/// The project's strict JSON reader (`JSONReader`) and writer (`JSONValue.serialized()`).
///
/// Input: JSON text. Invariants for a value that parses: its serialization parses back to an
/// equal value; serializing that again gives the same bytes (the writer is canonical and
/// loses nothing the reader keeps); a reader with a depth limit one below the value's depth
/// refuses it; the reader never accepts more than its size limit.
enum JSONFuzzTarget {
    static let target = FuzzTarget(
        name: "json",
        summary: "JSON reader: parse ∘ serialize round-trips byte-exactly; depth and size limits hold",
        run: run,
        seeds: seeds
    )

    /// Limits below what the fuzzer generates (inputs up to 8 KiB), so both are exercised.
    static let reader = JSONReader(maximumDepth: 32, maximumSize: 4096)

    static func run(_ raw: UnsafeRawBufferPointer) {
        guard let value = try? reader.parse(raw) else { return }
        invariant(raw.count <= reader.maximumSize, "the reader accepted more than its size limit")
        let text = value.serialized()
        // The writer may spell a value longer than the input did (escapes it chose), so the
        // round trip is read without the size limit; the limit itself is checked above.
        let reread = try? JSONReader(maximumDepth: reader.maximumDepth, maximumSize: max(reader.maximumSize, text.count)).parse(text)
        invariant(reread == value, "the serialization does not parse back to the same value")
        invariant(reread?.serialized() == text, "serializing is not canonical")
        let depth = value.depth
        invariant(depth <= reader.maximumDepth, "a value nested \(depth) deep passed a limit of \(reader.maximumDepth)")
        if depth > 1 {
            invariant((try? JSONReader(maximumDepth: depth - 1, maximumSize: reader.maximumSize).parse(raw)) == nil,
                      "a value nested \(depth) deep passed a limit of \(depth - 1)")
        }
    }

    static func seeds() -> [[UInt8]] {
        [
            #"{"alg":"HS256","typ":"JWT","kid":"k-1"}"#,
            #"{"sub":"user-42","exp":1700003600,"aud":["api","web"],"n":-0.5e-3,"ok":true,"no":null}"#,
            #"["\u00e9\ud83d\ude00\n\t\"\\\/",1E+2,0,-0,[],{}]"#,
            #"[[[[{"a":[[{"b":{}}]]}]]]]"#,
            "  \"caf\u{e9} \u{1F600}\"  ",
        ].map { Array($0.utf8) }
    }
}

extension JSONValue {
    /// Nesting depth as the reader counts it: scalars 0, an array or object one more than its
    /// deepest element.
    var depth: Int {
        switch self {
        case .array(let elements): 1 + (elements.map(\.depth).max() ?? 0)
        case .object(let object): 1 + (object.map(\.value.depth).max() ?? 0)
        default: 0
        }
    }
}
