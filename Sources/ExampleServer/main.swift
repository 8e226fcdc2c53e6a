// The entry point stays thin: everything lives in testable types (CLI/, App/, HTTP/).
import Foundation

let status = await ExampleServerCommand.main(arguments: Array(CommandLine.arguments.dropFirst()))
exit(status)
