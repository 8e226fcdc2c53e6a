// `PORT=8080 swift run VaporDemo`: serves the demo routes and prints credentials to try them.
import Foundation
import Vapor
import VaporIntegration

let port = ProcessInfo.processInfo.environment["PORT"].flatMap(Int.init) ?? 8080
let auth = try DemoAuthenticators()
let base = "http://127.0.0.1:\(port)"
print("JWT:     curl -H 'Authorization: Bearer \(try auth.jwt(subject: "demo", scopes: ["profile:read"]))' \(base)/api/me")
print("API key: curl -H 'X-API-Key: \(try await auth.issueAPIKey(owner: "demo-partner", scopes: ["reports:read"]))' \(base)/api/partner/reports")
print("No credential (401 + challenge): curl -i \(base)/api/me")
let app = try await Application.make(Environment(name: "development", arguments: ["VaporDemo", "serve"]))
app.http.server.configuration.hostname = "127.0.0.1"
app.http.server.configuration.port = port
registerDemoRoutes(on: app, auth: auth)
try await app.execute()
try await app.asyncShutdown()
