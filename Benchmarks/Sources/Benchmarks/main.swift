// Entry point: `swift run -c release --package-path Benchmarks [Benchmarks FILTER]`.
let filter = CommandLine.arguments.dropFirst().first
let bench = Bench(filter: filter)
print("swift-token-auth benchmarks (each case timed for at least \(bench.minimumSeconds) s)")
print("name".padding(toLength: 44, withPad: " ", startingAt: 0) + "       ns/op            ops/s")

// One file per area; each adds its cases.
CryptoBenchmarks.run(bench)
JWTBenchmarks.run(bench)
AsymmetricBenchmarks.run(bench)
EllipticTokenBenchmarks.run(bench)
ECCBenchmarks.run(bench)
DynamicTokenBenchmarks.run(bench)
APIKeyBenchmarks.run(bench)
ServerBenchmarks.run(bench)
