/// A finite curve point in affine coordinates (x, y), both in Montgomery form.
struct AffinePoint<Field: MontgomeryFieldElement>: Sendable {
    var x: Field
    var y: Field

    @inline(__always) var negated: AffinePoint { AffinePoint(x: x, y: -y) }
}

/// A point in Jacobian coordinates: (X, Y, Z) stands for (X/Z², Y/Z³); Z = 0 is the identity.
///
/// Formulas from the Explicit-Formulas Database for a = −3 (dbl-2001-b, add-2007-bl,
/// madd-2007-bl), with the exceptional cases (identity operands, P + P, P + (−P)) handled
/// explicitly so that adversarial inputs built to hit them (Wycheproof's point-duplication and
/// Shamir edge cases) still give the right answer.
struct JacobianPoint<Field: MontgomeryFieldElement>: Sendable {
    var x: Field
    var y: Field
    var z: Field

    static var identity: JacobianPoint { JacobianPoint(x: Field.one, y: Field.one, z: Field.zero) }

    @inline(__always) init(x: Field, y: Field, z: Field) {
        self.x = x
        self.y = y
        self.z = z
    }

    @inline(__always) init(_ affine: AffinePoint<Field>) {
        self.init(x: affine.x, y: affine.y, z: Field.one)
    }

    @inline(__always) var isIdentity: Bool { z.isZero }

    /// 2P (dbl-2001-b, a = −3). The identity doubles to itself because Z₃ = 2·Y·Z = 0.
    func doubled() -> JacobianPoint {
        let delta = z.squared()
        let gamma = y.squared()
        let beta = x * gamma
        let t = (x - delta) * (x + delta)
        let alpha = t.doubled() + t
        let beta4 = beta.doubled().doubled()
        let x3 = alpha.squared() - beta4.doubled()
        let z3 = (y + z).squared() - gamma - delta
        let gamma2 = gamma.squared()
        let gamma8 = gamma2.doubled().doubled().doubled()
        let y3 = alpha * (beta4 - x3) - gamma8
        return JacobianPoint(x: x3, y: y3, z: z3)
    }

    /// P + Q for Jacobian Q (add-2007-bl).
    func adding(_ other: JacobianPoint) -> JacobianPoint {
        if isIdentity { return other }
        if other.isIdentity { return self }
        let z1z1 = z.squared()
        let z2z2 = other.z.squared()
        let u1 = x * z2z2
        let u2 = other.x * z1z1
        let s1 = y * other.z * z2z2
        let s2 = other.y * z * z1z1
        let h = u2 - u1
        let rHalf = s2 - s1
        if h.isZero {
            return rHalf.isZero ? doubled() : .identity
        }
        let i = h.doubled().squared()
        let j = h * i
        let r = rHalf.doubled()
        let v = u1 * i
        let x3 = r.squared() - j - v.doubled()
        let y3 = r * (v - x3) - (s1 * j).doubled()
        let z3 = ((z + other.z).squared() - z1z1 - z2z2) * h
        return JacobianPoint(x: x3, y: y3, z: z3)
    }

    /// P + Q for affine Q (madd-2007-bl).
    @inline(__always)
    func adding(_ other: AffinePoint<Field>) -> JacobianPoint {
        if isIdentity { return JacobianPoint(other) }
        let z1z1 = z.squared()
        let u2 = other.x * z1z1
        let s2 = other.y * z * z1z1
        let h = u2 - x
        let rHalf = s2 - y
        if h.isZero {
            return rHalf.isZero ? doubled() : .identity
        }
        let hh = h.squared()
        let i = hh.doubled().doubled()
        let j = h * i
        let r = rHalf.doubled()
        let v = x * i
        let x3 = r.squared() - j - v.doubled()
        let y3 = r * (v - x3) - (y * j).doubled()
        let z3 = (z + h).squared() - z1z1 - hh
        return JacobianPoint(x: x3, y: y3, z: z3)
    }

    /// Converts finite points to affine with one inversion (Montgomery's batch-inversion trick).
    static func normalize(_ points: [JacobianPoint]) -> [AffinePoint<Field>] {
        guard !points.isEmpty else { return [] }
        var prefix = [Field](repeating: Field.one, count: points.count)
        var running = Field.one
        for index in points.indices {
            prefix[index] = running
            running = running * points[index].z
        }
        var inverse = running.inverse()
        var result = [AffinePoint<Field>](repeating: AffinePoint(x: Field.zero, y: Field.zero), count: points.count)
        for index in points.indices.reversed() {
            let zInverse = inverse * prefix[index]
            inverse = inverse * points[index].z
            let zInverse2 = zInverse.squared()
            result[index] = AffinePoint(x: points[index].x * zInverse2, y: points[index].y * zInverse2 * zInverse)
        }
        return result
    }
}
