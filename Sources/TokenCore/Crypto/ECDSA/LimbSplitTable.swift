/// Precomputed odd multiples of Pⱼ = 2^(64·j)·P for every 64-bit limb position j of a scalar.
///
/// Splitting a scalar u = Σ uⱼ·2^(64·j) turns u·P into Σ uⱼ·Pⱼ, a multi-scalar product of
/// 64-bit scalars: the interleaved loop in ``ECDSAPublicKey`` then needs only 65 doublings
/// instead of one per bit of n, while the number of additions stays that of one wNAF. The price
/// is the table, built once: per process for G, per key for Q.
struct LimbSplitTable<Field: MontgomeryFieldElement>: Sendable {
    /// wNAF window width; each part holds 2^(window−2) points.
    let window: Int
    let parts: Int
    /// Part j's entries (Pⱼ, 3Pⱼ, 5Pⱼ, …) at `j·stride ..< (j+1)·stride`.
    let points: [AffinePoint<Field>]

    var stride: Int { 1 << (window - 2) }

    /// Builds the table for a finite point of prime order n > 2^(64·(parts−1)), so no Pⱼ or odd
    /// multiple in the table is the identity.
    init(_ point: AffinePoint<Field>, parts: Int, window: Int) {
        self.window = window
        self.parts = parts
        let stride = 1 << (window - 2)
        var jacobian: [JacobianPoint<Field>] = []
        jacobian.reserveCapacity(parts * stride)
        var base = JacobianPoint(point)
        for part in 0..<parts {
            if part > 0 { for _ in 0..<64 { base = base.doubled() } }
            let twice = base.doubled()
            var current = base
            jacobian.append(current)
            for _ in 1..<stride {
                current = current.adding(twice)
                jacobian.append(current)
            }
        }
        points = JacobianPoint.normalize(jacobian)
    }

    /// The entry for an odd NAF digit d of part j: |d|·Pⱼ, negated when d < 0.
    @inline(__always) func entry(part: Int, digit: Int8) -> AffinePoint<Field> {
        let index = part &* stride &+ Int(digit.magnitude >> 1)
        let point = index < points.count ? points[index] : points[0] // digits never exceed the window
        return digit < 0 ? point.negated : point
    }
}
