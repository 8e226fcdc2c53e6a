public import TokenCore

extension HTTPRequest {
    /// Signs this request with a signed dynamic token and sets the header (client side).
    ///
    /// The token binds the method, the target (path and query, as they will be sent) and, by
    /// default, the SHA-256 of ``body``, so set the body before calling this.
    ///
    /// ```swift
    /// var request = HTTPRequest(method: .post, target: "/api/orders", body: body)
    /// try request.addDynamicToken(using: signer, subject: userID)
    /// ```
    /// - Parameters:
    ///   - signer: Holds the key, clock and random source.
    ///   - subject: An optional subject embedded in the token.
    ///   - bindingBody: Whether to bind the body (default `true`; servers require it by default).
    ///   - headerName: Default `X-Dynamic-Token`. An existing header of that name is replaced.
    /// - Throws: ``DynamicTokenError`` when the request cannot be signed (a target with
    ///   characters outside visible ASCII, a malformed subject).
    public mutating func addDynamicToken(
        using signer: DynamicTokenSigner,
        subject: String? = nil,
        bindingBody: Bool = true,
        headerName: String = DynamicTokenAuthenticator.defaultHeaderName
    ) throws(DynamicTokenError) {
        let token = try signer.token(method: method.rawValue, target: target, body: bindingBody ? body : nil, subject: subject)
        headers.replaceOrAdd(name: headerName, value: token)
    }

    /// Sets the header to a legacy dynamic token (for servers that only accept the legacy format).
    /// - Throws: ``DynamicTokenError`` for a malformed uuid or an unencodable key.
    public mutating func addLegacyDynamicToken(
        using encoder: LegacyDynamicTokenEncoder,
        uuid: String? = nil,
        headerName: String = DynamicTokenAuthenticator.defaultHeaderName
    ) throws(DynamicTokenError) {
        headers.replaceOrAdd(name: headerName, value: try encoder.encode(uuid: uuid))
    }
}
