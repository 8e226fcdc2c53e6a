// `swift run HummingbirdDemo [port]`: serves the demo routes and prints credentials to try them.
import Foundation
import Hummingbird
import HummingbirdIntegration

let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 8080
let auth = try DemoAuthenticators()
let base = "http://127.0.0.1:\(port)"
print("JWT:     curl -H 'Authorization: Bearer \(try auth.jwt(subject: "demo", scopes: ["profile:read"]))' \(base)/api/me")
print("API key: curl -H 'X-API-Key: \(try await auth.issueAPIKey(owner: "demo-partner", scopes: ["reports:read"]))' \(base)/api/partner/reports")
print("No credential (401 + challenge): curl -i \(base)/api/me")
let app = Application(router: makeRouter(auth: auth), configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
