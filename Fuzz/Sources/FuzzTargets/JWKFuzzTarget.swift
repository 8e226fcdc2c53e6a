import TokenCore

/// JWK and JWKS import (`JWK(json:)`, `JWK.verificationKey()`, `JWKSet(json:)`).
///
/// The first input byte picks a mode:
/// - **JWK** (0): the rest is one key. A key that yields a verification key is bound to an
///   algorithm its material allows and that `boundAlgorithm()` names; rebuilding the JWK from
///   its material, id and algorithm gives a key bound to the same algorithm.
/// - **JWKS** (1, 2: with `oct` secrets allowed): the rest is a key set. Every element of its
///   `keys` array, as the JSON reader reads it, is either a key or a skipped entry (with its own
///   index, in order); the set converts to a `JWTKeySet` of the same size.
enum JWKFuzzTarget {
    static let target = FuzzTarget(
        name: "jwk",
        summary: "JWK/JWKS import: keys bound to allowed algorithms; every JWKS entry accounted for",
        run: run,
        seeds: seeds
    )

    static func run(_ raw: UnsafeRawBufferPointer) {
        var input = FuzzInput(raw)
        let mode = input.byte() % 3
        let json = input.rest()
        if mode == 0 {
            guard let jwk = try? JWK(json: json), let key = try? jwk.verificationKey() else { return }
            invariant(JWK.algorithms(for: jwk.material).contains(key.algorithm), "a key bound to an algorithm its material does not allow")
            invariant((try? jwk.boundAlgorithm()) == key.algorithm, "verificationKey() and boundAlgorithm() disagree")
            let rebuilt = try? JWK(material: jwk.material, keyID: jwk.keyID, algorithm: jwk.algorithm)
            invariant((try? rebuilt?.verificationKey())?.algorithm == key.algorithm, "the rebuilt JWK binds another algorithm")
            return
        }
        guard let set = try? JWKSet(json: json, allowSecrets: mode == 2) else { return }
        let entries = (try? JSONReader(maximumDepth: 8, maximumSize: JWKSet.maximumSize).parseObject(json))?["keys"]?.arrayValue
        invariant(entries != nil, "a JWKS was accepted whose keys array the JSON reader does not see")
        invariant(set.keys.count == set.keyIDs.count, "keys and key ids differ in number")
        invariant(set.keys.count + set.skipped.count == entries?.count, "a JWKS entry was neither used nor skipped")
        let indices = set.skipped.map(\.index)
        invariant(indices == indices.sorted() && Set(indices).count == indices.count && indices.allSatisfy { $0 < (entries?.count ?? 0) },
                  "skipped indices are not distinct, ordered entries")
        let keySet = try? set.keySet()
        invariant(keySet?.count == set.keys.count, "the key set lost or refused keys the JWKS accepted")
    }

    static func seeds() -> [[UInt8]] {
        let ec = #"{"kty":"EC","kid":"es256-p256","use":"sig","alg":"ES256","crv":"P-256","x":"qMo9bolYeduw--B14OwW18-hNMUjJF6paTRTXhT9nWo","y":"cfe9acJ_DCOlmz5buH9OyTvzyajEUvZPNFmHYzuJH_g"}"#
        let okp = #"{"kty":"OKP","crv":"Ed25519","kid":"ed","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#
        let oct = #"{"kty":"oct","kid":"h1","alg":"HS256","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}"#
        // A 2048-bit modulus is too long for a readable seed; this RSA key is refused (too
        // short), which still walks the RSA import path.
        let rsa = #"{"kty":"RSA","kid":"r1","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB"}"#
        return [
            [0] + Array(ec.utf8), [0] + Array(okp.utf8), [0] + Array(rsa.utf8), [0] + Array(oct.utf8),
            [1] + Array(#"{"keys":[\#(ec),\#(okp),\#(rsa),{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}"#.utf8),
            [2] + Array(#"{"keys":[\#(oct),\#(ec)]}"#.utf8),
        ]
    }
}
