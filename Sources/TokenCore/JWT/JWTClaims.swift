/// The registered claims of a JWT (RFC 7519 §4.1), read strictly from the payload.
///
/// ``JWTVerifier`` always reads these itself, whatever payload type the caller decodes, so
/// validation never depends on the caller's type. A registered claim with the wrong JSON type is
/// malformed, not absent: `"exp": "1700000000"`, `"exp": null` or `"exp": true` is refused
/// (``JWTError/Code/malformedClaim``).
///
/// `JWTClaims` is also `Decodable`, and is the payload type when none is given.
public struct JWTClaims: Sendable, Hashable, Decodable {
    /// `iss` (RFC 7519 §4.1.1).
    public var issuer: String?
    /// `sub` (RFC 7519 §4.1.2).
    public var subject: String?
    /// `aud` (RFC 7519 §4.1.3): a single string is read as a one-element array.
    public var audience: [String]?
    /// `exp` (RFC 7519 §4.1.4).
    public var expiration: NumericDate?
    /// `nbf` (RFC 7519 §4.1.5).
    public var notBefore: NumericDate?
    /// `iat` (RFC 7519 §4.1.6).
    public var issuedAt: NumericDate?
    /// `jti` (RFC 7519 §4.1.7).
    public var id: String?

    /// Creates claims from values.
    public init(
        issuer: String? = nil, subject: String? = nil, audience: [String]? = nil,
        expiration: NumericDate? = nil, notBefore: NumericDate? = nil, issuedAt: NumericDate? = nil,
        id: String? = nil
    ) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.expiration = expiration
        self.notBefore = notBefore
        self.issuedAt = issuedAt
        self.id = id
    }

    /// Reads the registered claims from a payload object.
    /// - Throws: ``JWTError/Code/malformedClaim`` for a registered claim of the wrong type.
    public init(payload: JSONObject) throws(JWTError) {
        // By index, and each name classified by its bytes: iterating would copy every member,
        // and a `switch` over string literals compares a name with each case in turn.
        let members = payload.members
        for index in members.indices {
            guard let name = Self.registeredName(members[index].name) else { continue }
            let member = members[index]
            switch name {
            case .iss: issuer = try Self.string(member)
            case .sub: subject = try Self.string(member)
            case .jti: id = try Self.string(member)
            case .exp: expiration = try Self.date(member)
            case .nbf: notBefore = try Self.date(member)
            case .iat: issuedAt = try Self.date(member)
            case .aud:
                switch member.value {
                case .string(let s): audience = [s]
                case .array(let elements):
                    var list: [String] = []
                    list.reserveCapacity(elements.count)
                    for element in elements {
                        guard case .string(let s) = element else {
                            throw JWTError(.malformedClaim, "the aud claim contains a non-string (RFC 7519 §4.1.3)")
                        }
                        list.append(s)
                    }
                    audience = list
                default:
                    throw JWTError(.malformedClaim, "the aud claim is neither a string nor an array of strings (RFC 7519 §4.1.3)")
                }
            }
        }
    }

    /// The registered claim names (all three bytes long).
    private enum RegisteredName {
        case iss, sub, aud, exp, nbf, iat, jti
    }

    /// The registered claim `name` is, if any: its three bytes packed into an integer and
    /// switched on, one comparison tree instead of a string comparison per case.
    @inline(__always)
    private static func registeredName(_ name: String) -> RegisteredName? {
        let utf8 = name.utf8
        guard utf8.count == 3 else { return nil }
        // Contiguous storage is always available for native strings; iterating the view instead
        // goes through its generic index witnesses byte by byte.
        let packed = utf8.withContiguousStorageIfAvailable { bytes in
            UInt32(bytes[0]) &<< 16 | UInt32(bytes[1]) &<< 8 | UInt32(bytes[2])
        } ?? utf8.reduce(0) { $0 &<< 8 | UInt32($1) }
        switch packed {
        case 0x69_73_73: return .iss
        case 0x73_75_62: return .sub
        case 0x61_75_64: return .aud
        case 0x65_78_70: return .exp
        case 0x6E_62_66: return .nbf
        case 0x69_61_74: return .iat
        case 0x6A_74_69: return .jti
        default: return nil
        }
    }

    private static func string(_ member: JSONObject.Member) throws(JWTError) -> String {
        guard case .string(let s) = member.value else {
            throw JWTError(.malformedClaim, "the \(member.name) claim is not a string (RFC 7519 §4.1)")
        }
        return s
    }

    private static func date(_ member: JSONObject.Member) throws(JWTError) -> NumericDate {
        guard case .number(let n) = member.value else {
            throw JWTError(.malformedClaim, "the \(member.name) claim is not a NumericDate number (RFC 7519 §2)")
        }
        guard let date = NumericDate(n) else {
            throw JWTError(.malformedClaim, "the \(member.name) claim is out of range")
        }
        return date
    }

    private enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, nbf, iat, jti
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try c.decodeIfPresent(String.self, forKey: .iss)
        subject = try c.decodeIfPresent(String.self, forKey: .sub)
        if let single = try? c.decodeIfPresent(String.self, forKey: .aud) {
            audience = [single]
        } else {
            audience = try c.decodeIfPresent([String].self, forKey: .aud)
        }
        expiration = try c.decodeIfPresent(NumericDate.self, forKey: .exp)
        notBefore = try c.decodeIfPresent(NumericDate.self, forKey: .nbf)
        issuedAt = try c.decodeIfPresent(NumericDate.self, forKey: .iat)
        id = try c.decodeIfPresent(String.self, forKey: .jti)
    }

    /// Whether the claim named `name` (`"exp"`, `"sub"`, …) is present.
    func has(_ name: String) -> Bool {
        switch Self.registeredName(name) {
        case .iss: issuer != nil
        case .sub: subject != nil
        case .aud: audience != nil
        case .exp: expiration != nil
        case .nbf: notBefore != nil
        case .iat: issuedAt != nil
        case .jti: id != nil
        case nil: false
        }
    }
}
