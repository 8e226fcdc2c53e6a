import Foundation

/// Reads Project Wycheproof vector files from `../shared/vectors/wycheproof` and tallies a
/// verifier's verdicts against them.
///
/// The vectors are never copied into the repository: suites call ``isAvailable(_:)`` to skip
/// visibly when `../shared` is absent, and ``TestEnvironment/missingUnderCI(_:)`` to fail in CI.
/// Each suite declares the group shape of its files (the key fields differ per algorithm); the
/// test cases share one shape, ``Case``.
public enum Wycheproof {
    /// The folder under ``TestEnvironment/shared`` holding the files.
    public static let directory = "vectors/wycheproof"

    /// Whether the named file (or, without a name, the folder) is present.
    public static func isAvailable(_ file: String? = nil) -> Bool {
        TestEnvironment.hasShared(file.map { "\(directory)/\($0)" } ?? directory)
    }

    /// One vector file: its test groups in the caller's shape.
    public struct File<Group: Decodable>: Decodable {
        /// The algorithm the file covers, as Wycheproof names it.
        public var algorithm: String?
        /// How many cases the file declares; a tally must reach exactly this number.
        public var numberOfTests: Int
        /// The groups, each with its key and cases.
        public var testGroups: [Group]
    }

    /// One test case. Signature files carry `sig`, MAC files `key` and `tag`.
    public struct Case: Decodable, Sendable {
        public var tcId: Int
        public var comment: String
        public var flags: [String]
        public var msg: String
        public var sig: String?
        public var key: String?
        public var tag: String?
        /// `valid`, `invalid` or `acceptable`.
        public var result: String

        enum CodingKeys: String, CodingKey { case tcId, comment, flags, msg, sig, key, tag, result }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            tcId = try container.decode(Int.self, forKey: .tcId)
            comment = try container.decode(String.self, forKey: .comment)
            flags = try container.decodeIfPresent([String].self, forKey: .flags) ?? []
            msg = try container.decode(String.self, forKey: .msg)
            sig = try container.decodeIfPresent(String.self, forKey: .sig)
            key = try container.decodeIfPresent(String.self, forKey: .key)
            tag = try container.decodeIfPresent(String.self, forKey: .tag)
            result = try container.decode(String.self, forKey: .result)
        }

        /// `file tcId N (comment)`, for failure messages.
        public func describe(in file: String) -> String { "\(file) tcId \(tcId) (\(comment))" }
    }

    /// Loads and decodes one file.
    public static func load<Group: Decodable>(_ file: String, groups: Group.Type = Group.self) throws -> File<Group> {
        let url = TestEnvironment.shared.appendingPathComponent("\(directory)/\(file)")
        return try JSONDecoder().decode(File<Group>.self, from: Data(contentsOf: url))
    }

    /// The outcome of running a verifier over a file.
    public struct Tally: Sendable, CustomStringConvertible {
        public var file: String
        /// Cases per result (`valid`, `invalid`, `acceptable`).
        public var counts: [String: Int] = [:]
        /// `acceptable` cases the verifier accepted.
        public var acceptableAccepted = 0
        /// The flags of every `acceptable` case, so a suite can assert it decided on all of them.
        public var acceptableFlags: Set<String> = []
        /// Every case whose verdict disagreed with a `valid` or `invalid` result.
        public var mismatches: [String] = []

        /// Cases seen in total.
        public var total: Int { counts.values.reduce(0, +) }

        public var description: String {
            "Wycheproof \(file): \(counts["valid", default: 0]) valid, \(counts["invalid", default: 0]) invalid, "
                + "\(counts["acceptable", default: 0]) acceptable (\(acceptableAccepted) accepted)"
        }
    }

    /// Runs `accepts` over every case of every group and records where it disagrees with the
    /// file: a `valid` case must be accepted, an `invalid` one rejected. `acceptable` cases are
    /// counted, and the suite asserts its documented decision on them.
    public static func tally<Group>(
        _ file: String, _ document: File<Group>, cases: (Group) -> [Case],
        accepts: (Group, Case) throws -> Bool
    ) rethrows -> Tally {
        var tally = Tally(file: file)
        for group in document.testGroups {
            for test in cases(group) {
                let accepted = try accepts(group, test)
                tally.counts[test.result, default: 0] += 1
                switch test.result {
                case "valid": if !accepted { tally.mismatches.append("\(test.describe(in: file)) must verify") }
                case "invalid": if accepted { tally.mismatches.append("\(test.describe(in: file)) must fail") }
                default:
                    tally.acceptableFlags.formUnion(test.flags)
                    if accepted { tally.acceptableAccepted += 1 }
                }
            }
        }
        return tally
    }
}
