/// A point of edwards25519 (−x² + y² = 1 + d·x²·y², RFC 8032 §5.1) in extended coordinates
/// (X : Y : Z : T) with x = X/Z, y = Y/Z, x·y = T/Z (Hisil–Wong–Carter–Dawson 2008).
///
/// The a = −1 addition law is complete, so additions need no special cases. Following the usual
/// layout (as in the Ed25519 reference code), a doubling produces a ``Completed`` point that is
/// converted only as far as the next operation needs: ``Projective`` for another doubling,
/// extended for an addition.
struct Ed25519Point: Sendable {
    typealias Field = Ed25519FieldElement

    var x: Field
    var y: Field
    var z: Field
    var t: Field

    static let identity = Ed25519Point(x: .zero, y: .one, z: .one, t: .zero)

    /// The base point B (RFC 8032 §5.1), y = 4/5 with x even.
    static let base = Ed25519Point(
        x: Field(0x62d608f25d51a, 0x412a4b4f6592a, 0x75b7171a4b31d, 0x1ff60527118fe, 0x216936d3cd6e5),
        y: Field(0x6666666666658, 0x4cccccccccccc, 0x1999999999999, 0x3333333333333, 0x6666666666666),
        z: .one,
        t: Field(0x62d608f25d51a, 0x412a4b4f6592a, 0x75b7171a4b31d, 0x1ff60527118fe, 0x216936d3cd6e5)
            * Field(0x6666666666658, 0x4cccccccccccc, 0x1999999999999, 0x3333333333333, 0x6666666666666)
    )

    /// wNAF window for B's table (2^(w−2) precomputed points per 64-bit limb, built once per process).
    static let baseWindow = 8
    static let baseTable: [Precomputed] = splitOddMultiples(of: base, window: baseWindow).map { Precomputed($0) }

    /// Decodes a point (RFC 8032 §5.1.3), strictly: `nil` when y is not below p (a non-canonical
    /// encoding), when x² = (y² − 1)/(d·y² + 1) has no square root, or when x = 0 and the sign
    /// bit is set (the only other non-canonical encodings).
    init?(encoded bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 32 else { return nil }
        let sign = bytes[31] >> 7
        // y ≥ p exactly when the 255-bit value is in [2²⁵⁵ − 19, 2²⁵⁵): 0xed…0xff, then 30 × 0xff, then 0x7f.
        if bytes[31] & 0x7f == 0x7f, bytes[0] >= 0xed, !bytes[1..<31].contains(where: { $0 != 0xff }) { return nil }
        let y = Field(littleEndian: bytes)
        let yy = y.squared()
        let u = yy - .one
        let v = yy * Field.d + .one
        let v3 = v.squared() * v
        var x = u * v3 * (u * v3.squared() * v).powPMinus5Over8()
        let check = v * x.squared()
        if check == u {
            // x is a root
        } else if check == -u {
            x = x * Field.sqrtMinusOne
        } else {
            return nil
        }
        if x.isZero, sign == 1 { return nil }
        if (x.isNegative ? 1 : 0) != sign { x = -x }
        self.init(x: x, y: y, z: .one, t: x * y)
    }

    init(x: Field, y: Field, z: Field, t: Field) {
        self.x = x
        self.y = y
        self.z = z
        self.t = t
    }

    /// The canonical 32-byte encoding (RFC 8032 §5.1.2).
    var encodedBytes: [UInt8] {
        let zInverse = z.inverse()
        let ax = x * zInverse
        var bytes = (y * zInverse).encodedBytes
        if ax.isNegative { bytes[31] |= 0x80 }
        return bytes
    }

    var isIdentity: Bool { x.isZero && y == z }

    @inline(__always) var projective: Projective { Projective(x: x, y: y, z: z) }
    @inline(__always) var negated: Ed25519Point { Ed25519Point(x: -x, y: y, z: z, t: -t) }

    @inline(__always) func doubled() -> Ed25519Point { projective.doubled().extended }

    @inline(__always) func adding(_ other: Cached) -> Completed {
        let a = (y + x) * other.yPlusX
        let b = (y - x) * other.yMinusX
        let c = other.t2d * t
        let zz = z * other.z
        let d = zz + zz
        return Completed(x: a - b, y: a + b, z: d + c, t: d - c)
    }

    @inline(__always) func subtracting(_ other: Cached) -> Completed {
        let a = (y + x) * other.yMinusX
        let b = (y - x) * other.yPlusX
        let c = other.t2d * t
        let zz = z * other.z
        let d = zz + zz
        return Completed(x: a - b, y: a + b, z: d - c, t: d + c)
    }

    @inline(__always) func adding(_ other: Precomputed) -> Completed {
        let a = (y + x) * other.yPlusX
        let b = (y - x) * other.yMinusX
        let c = other.xy2d * t
        let d = z + z
        return Completed(x: a - b, y: a + b, z: d + c, t: d - c)
    }

    @inline(__always) func subtracting(_ other: Precomputed) -> Completed {
        let a = (y + x) * other.yMinusX
        let b = (y - x) * other.yPlusX
        let c = other.xy2d * t
        let d = z + z
        return Completed(x: a - b, y: a + b, z: d - c, t: d + c)
    }

    /// For j = 0…3, the odd multiples Pⱼ, 3Pⱼ, …, (2^(w−1) − 1)·Pⱼ of Pⱼ = 2^(64·j)·P, part j at
    /// `j·2^(w−2) ..< (j+1)·2^(w−2)`: splitting a 253-bit scalar into 64-bit limbs lets one chain
    /// of 65 doublings serve all four parts (see ``LimbSplitTable`` for the ECDSA twin).
    static func splitOddMultiples(of point: Ed25519Point, window: Int) -> [Ed25519Point] {
        var result: [Ed25519Point] = []
        var base = point
        for part in 0..<4 {
            if part > 0 { for _ in 0..<64 { base = base.doubled() } }
            let twice = Cached(base.doubled())
            var current = base
            result.append(current)
            for _ in 1..<(1 << (window - 2)) {
                current = current.adding(twice).extended
                result.append(current)
            }
        }
        return result
    }

    // MARK: - Intermediate representations

    /// (X : Y : Z), enough for a doubling.
    struct Projective: Sendable {
        var x: Field
        var y: Field
        var z: Field

        /// 2P (dbl-2008-hwcd with a = −1); T is not needed as input.
        @inline(__always) func doubled() -> Completed {
            let xx = x.squared()
            let yy = y.squared()
            let zz2 = z.squared().doubled()
            let sum = (x + y).squared()
            let yPlus = yy + xx
            let yMinus = yy - xx
            return Completed(x: sum - yPlus, y: yPlus, z: yMinus, t: zz2 - yMinus)
        }
    }

    /// ((X : Z), (Y : T)): x = X/Z, y = Y/T, the direct output of the addition and doubling laws.
    struct Completed: Sendable {
        var x: Field
        var y: Field
        var z: Field
        var t: Field

        @inline(__always) var projective: Projective { Projective(x: x * t, y: y * z, z: z * t) }
        @inline(__always) var extended: Ed25519Point { Ed25519Point(x: x * t, y: y * z, z: z * t, t: x * y) }
    }

    /// (Y + X, Y − X, Z, 2d·T): a point prepared as the right operand of additions.
    struct Cached: Sendable {
        var yPlusX: Field
        var yMinusX: Field
        var z: Field
        var t2d: Field

        init(_ p: Ed25519Point) {
            yPlusX = p.y + p.x
            yMinusX = p.y - p.x
            z = p.z
            t2d = p.t * Field.d2
        }
    }

    /// (y + x, y − x, 2d·x·y) of an affine point (Z = 1): the cheapest right operand.
    struct Precomputed: Sendable {
        var yPlusX: Field
        var yMinusX: Field
        var xy2d: Field

        init(_ p: Ed25519Point) {
            let zInverse = p.z.inverse()
            let x = p.x * zInverse
            let y = p.y * zInverse
            yPlusX = y + x
            yMinusX = y - x
            xy2d = x * y * Field.d2
        }
    }
}

extension Ed25519FieldElement {
    @inline(__always) func doubled() -> Self { self + self }
}
