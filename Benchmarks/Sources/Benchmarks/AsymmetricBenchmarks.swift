import TokenCore

enum AsymmetricBenchmarks {
    static func run(_ bench: Bench) {
        // Cases are added by the issue that owns this area.
    }
}
