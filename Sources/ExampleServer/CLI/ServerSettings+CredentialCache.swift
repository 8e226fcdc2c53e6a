import TokenCore
import TokenMiddleware

extension ServerSettings {
    /// A fresh verified-credential cache as configured (`--credential-cache`,
    /// `credentialCache` in the config file), or `nil` when caching is off. Each authenticator
    /// gets its own.
    func credentialCache(random: any RandomSource) -> VerifiedCredentialCache? {
        guard credentialCacheCapacity > 0 else { return nil }
        return VerifiedCredentialCache(capacity: credentialCacheCapacity, maximumAge: credentialCacheMaxAge, random: random)
    }
}
