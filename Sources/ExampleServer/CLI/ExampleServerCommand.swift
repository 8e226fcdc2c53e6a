import Foundation
import TokenMiddleware

/// The command-line entry: parses arguments and runs `serve` or a subcommand.
enum ExampleServerCommand {
    static func main(arguments: [String]) async -> Int32 {
        var config = HTTPServerConfiguration()
        config.port = 8080
        let router = ClosureResponder { _ in .text("ok\n") }
        do {
            let server = try HTTPServer.start(configuration: config, responder: router)
            print("listening on http://\(config.host):\(server.port)")
            await server.runUntilSignalled()
            return 0
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 1
        }
    }
}
