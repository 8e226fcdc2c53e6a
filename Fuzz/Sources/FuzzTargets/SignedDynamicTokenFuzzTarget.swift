import TokenCore

/// The signed dynamic-token parser and verifier (`DynamicTokenVerifier.check`), HMAC-SHA256
/// over the token and the request.
///
/// The first input byte picks a mode:
/// - **token** (even): the rest is a token, checked for a fixed request at a fixed time.
///   Whatever is accepted is exactly what `DynamicTokenSigner` makes from the fields the
///   verifier returned (so nothing but a genuinely signed token passes).
/// - **signed** (odd): method, target, body, subject, time and nonce from the input are signed;
///   the verifier accepts the token for that request and returns the same fields, and rejects it
///   with any one byte changed, for another method or target, or for another body.
enum SignedDynamicTokenFuzzTarget {
    static let target = FuzzTarget(
        name: "dynamic-signed",
        summary: "signed dynamic tokens: only signed tokens pass; sign/verify round-trips; mutations rejected",
        run: run,
        seeds: seeds
    )

    static let now: Int64 = 1_700_000_000_000
    static let key: DynamicTokenKey? = try? DynamicTokenKey(id: "k1", secret: Array("signed-dynamic-token-fuzzing-key-0123456789".utf8))
    static let signer: DynamicTokenSigner? = key.flatMap { try? DynamicTokenSigner(key: $0) }
    static let verifier: DynamicTokenVerifier? = key.flatMap { key in
        guard let ring = try? DynamicTokenKeyRing([key]) else { return nil }
        return try? DynamicTokenVerifier(keys: ring, replayCache: InMemoryReplayCache(capacity: 16), bodyBinding: .optional)
    }

    static let fixedMethod = "POST"
    static let fixedTarget = "/api/items?page=2"
    static let fixedBody = Array(#"{"name":"widget"}"#.utf8)

    static func run(_ raw: UnsafeRawBufferPointer) {
        guard let verifier, let signer else { invariant(false, "the fixed dynamic-token key was refused"); return }
        var input = FuzzInput(raw)
        if input.byte() % 2 == 0 {
            let token = String(decoding: input.rest(), as: UTF8.self)
            guard let verified = try? verifier.check(token, method: fixedMethod, target: fixedTarget, body: fixedBody, nowMilliseconds: now) else { return }
            let expected = try? signer.token(
                method: fixedMethod, target: fixedTarget, body: verified.bindsBody ? fixedBody : nil,
                subject: verified.subject, timestampMilliseconds: verified.timestampMilliseconds, nonce: verified.nonce
            )
            invariant(expected == token, "the verifier accepted a token the signer would not have made")
            return
        }
        let tchars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~".utf8)
        let idChars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        let method = String(decoding: input.bytes(Int(input.byte() % 8) + 1).map { tchars[Int($0) % tchars.count] }, as: UTF8.self)
        let target = "/" + String(decoding: input.bytes(Int(input.byte() % 64)).map { 0x21 + $0 % 94 }, as: UTF8.self)
        let subjectLength = Int(input.byte() % 20)
        let subject = subjectLength == 0 ? nil : String(decoding: input.bytes(subjectLength).map { idChars[Int($0) % idChars.count] }, as: UTF8.self)
        // From the oldest to the newest time the verifier accepts (5 minutes back, 30 s ahead).
        let offset = Int64(input.uint32() % 330_001) - 300_000
        let nonce = input.bytes(16 + Int(input.byte() % 17))
        let position = Int(input.uint16())
        let flip = input.byte() | 1
        let bindsBody = input.byte() % 2 == 0
        let body = input.rest()
        guard nonce.count >= 16 else { return }
        let time = now + offset
        guard let token = try? signer.token(
            method: method, target: target, body: bindsBody ? body : nil, subject: subject,
            timestampMilliseconds: time, nonce: nonce
        ) else {
            invariant(false, "the signer refused well-formed fields")
            return
        }
        let verified = try? verifier.check(token, method: method, target: target, body: body, nowMilliseconds: now)
        invariant(verified == SignedDynamicToken(keyID: "k1", timestampMilliseconds: time, nonce: nonce, bindsBody: bindsBody, subject: subject),
                  "a freshly signed token did not verify to its own fields")
        var bytes = Array(token.utf8)
        bytes[position % bytes.count] ^= flip
        let mutated = String(decoding: bytes, as: UTF8.self)
        invariant((try? verifier.check(mutated, method: method, target: target, body: body, nowMilliseconds: now)) == nil,
                  "a token with one byte changed still verifies")
        invariant((try? verifier.check(token, method: method + "X", target: target, body: body, nowMilliseconds: now)) == nil,
                  "a token verified for another method")
        invariant((try? verifier.check(token, method: method, target: target + "x", body: body, nowMilliseconds: now)) == nil,
                  "a token verified for another target")
        if bindsBody {
            invariant((try? verifier.check(token, method: method, target: target, body: body + [0], nowMilliseconds: now)) == nil,
                      "a body-bound token verified for another body")
        }
    }

    static func seeds() -> [[UInt8]] {
        guard let signer else { return [] }
        let nonce: [UInt8] = Array(0..<16)
        var seeds: [[UInt8]] = []
        for (body, subject) in [(Optional(fixedBody), Optional("user-42")), (nil, nil)] {
            if let token = try? signer.token(method: fixedMethod, target: fixedTarget, body: body, subject: subject,
                                                  timestampMilliseconds: now - 1000, nonce: nonce) {
                seeds.append([0] + Array(token.utf8))
            }
        }
        seeds.append([1, 3, 71, 69, 84, 10] + Array("api/items?".utf8) + [4] + Array("user".utf8)
                     + [0, 4, 147, 224, 0] + Array(0..<16) + [0, 30, 5, 0] + Array("hello".utf8))
        seeds.append([1, 0, 80, 0, 0, 0, 0, 0, 0, 16] + Array(repeating: 0xAB, count: 32) + [0, 0, 1, 1])
        return seeds
    }
}
