import TokenCore

enum DynamicTokenBenchmarks {
    static func run(_ bench: Bench) {
        // Cases are added by the issue that owns this area.
    }
}
