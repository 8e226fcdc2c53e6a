/// One `WWW-Authenticate` challenge: an auth scheme and its parameters (RFC 9110 §11.6.1).
public struct AuthenticationChallenge: Sendable, Hashable {
    /// The scheme, such as `Bearer` or `DynamicToken`.
    public var scheme: String
    /// Parameters in order, such as `realm`. Values are sent as quoted strings.
    public var parameters: [Parameter]

    /// One `name="value"` auth-param.
    public struct Parameter: Sendable, Hashable {
        /// The parameter name, such as `realm` (case-insensitive on the wire).
        public var name: String
        /// The value, sent as a quoted-string.
        public var value: String
        /// Creates a parameter.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Creates a challenge.
    /// - Parameters:
    ///   - scheme: the auth scheme, a token such as `Bearer`.
    ///   - parameters: the auth-params, in order.
    public init(scheme: String, parameters: [Parameter] = []) {
        self.scheme = scheme
        self.parameters = parameters
    }

    /// A copy with `name` set to `value` (replacing an existing parameter of that name).
    public func with(_ name: String, _ value: String) -> AuthenticationChallenge {
        var copy = self
        copy.parameters.removeAll { HTTPHeaders.namesEqual($0.name, name) }
        copy.parameters.append(Parameter(name, value))
        return copy
    }

    /// The header value: `Bearer realm="api", error="invalid_token"`.
    ///
    /// Values are quoted-strings with `"` and `\` escaped; control characters are dropped, so a
    /// reason can never split the header.
    public var headerValue: String {
        guard !parameters.isEmpty else { return scheme }
        let rendered = parameters.map { "\($0.name)=\"\(Self.quote($0.value))\"" }
        return scheme + " " + rendered.joined(separator: ", ")
    }

    static func quote(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"", "\\": out.append("\\"); out.unicodeScalars.append(scalar)
            // RFC 6750 §3 restricts error_description to printable ASCII; drop anything else.
            case " "..."~": out.unicodeScalars.append(scalar)
            default: continue
            }
        }
        return out
    }
}
