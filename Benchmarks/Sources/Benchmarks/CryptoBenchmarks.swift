import TokenCore

enum CryptoBenchmarks {
    static func run(_ bench: Bench) {
        let kib = [UInt8](repeating: 0x61, count: 1024)
        bench.measure("sha256 1 KiB", bytes: kib.count) { consume(SHA256.hash(kib)) }
    }
}
