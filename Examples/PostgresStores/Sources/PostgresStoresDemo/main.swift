// `swift run PostgresStoresDemo --database-url postgres://user@127.0.0.1:5432/db [--port 8080]`:
// the demo routes with every piece of state in PostgreSQL. Run two with the same database and
// the same TOKEN_AUTH_* secrets to see a token used on one refused on the other.
import Foundation
import Hummingbird
import Logging
import PostgresDemoApp

var logger = Logger(label: "token-auth.postgres-demo")
logger.logLevel = ProcessInfo.processInfo.environment["TOKEN_AUTH_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
let settings: DemoSettings
do {
    settings = try DemoSettings(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
} catch {
    FileHandle.standardError.write(Data("PostgresStoresDemo: \(error)\n".utf8))
    exit(64)
}
for variable in settings.generated {
    logger.warning("\(variable) not set: generated a random one; other instances will not share it")
}
if settings.generated.contains("TOKEN_AUTH_DEMO_PASSWORD") {
    FileHandle.standardOutput.write(Data("demo user: demo / \(settings.demoPassword)\n".utf8))
}
let demo = try await PostgresDemo(settings: settings, logger: logger)
let app = Application(
    router: demo.makeRouter(),
    configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "PostgresStoresDemo"),
    services: [demo.stores],
    onServerRunning: { channel in
        // The tests and scripts read the port from this line (useful with --port 0).
        let line = "listening on http://\(settings.host):\(channel.localAddress?.port ?? settings.port)\n"
        FileHandle.standardOutput.write(Data(line.utf8)) // unbuffered: a pipe or file sees it at once
    },
    logger: logger
)
try await app.runService()
