/// The opaque secrets of the session layer: refresh tokens and opaque access tokens.
///
/// A token is a short prefix naming its kind and 32 random bytes (256 bits) in base64url:
/// `rt_…` for refresh tokens, `oat_…` for opaque access tokens. The prefix lets an
/// authenticator recognise its own tokens without a lookup (and return `nil` for a JWT), and
/// lets secret scanners find leaked ones. Only the SHA-256 of a token is ever stored.
package enum SessionToken {
    /// The random bytes in every token (RFC 9700 asks that refresh tokens resist guessing; 256
    /// bits puts brute force out of reach).
    package static let secretByteCount = 32
    /// The longest token accepted for hashing; anything longer is not one of ours.
    package static let maximumLength = 128

    /// The prefix of refresh tokens.
    package static let refreshPrefix = "rt_"
    /// The prefix of opaque access tokens.
    package static let opaqueAccessPrefix = "oat_"

    /// A fresh token: `prefix` and 32 random bytes in base64url.
    package static func generate(prefix: String, random: any RandomSource) throws(SessionError) -> String {
        do {
            return prefix + Base64URL.encode(try random.bytes(count: secretByteCount))
        } catch {
            throw SessionError(.unavailable, "no randomness for a new token: \(error.reason)")
        }
    }

    /// The lookup key of `token`: lowercase hex SHA-256. Only this is stored.
    package static func hash(_ token: String) -> String {
        Hex.encode(SHA256.hash(token))
    }

    /// Whether `token` has the shape of a token with `prefix`: the prefix, then exactly the
    /// base64url text of 32 bytes (43 characters, no padding).
    package static func isWellFormed(_ token: String, prefix: String) -> Bool {
        guard token.utf8.count <= maximumLength, token.hasPrefix(prefix) else { return false }
        let body = token.utf8.dropFirst(prefix.utf8.count)
        guard body.count == 43 else { return false }
        return body.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }
    }
}
