/**
 * The little dense linear algebra the offline baselines need, on row-major Float64Arrays: the inverse of a
 * symmetric positive definite matrix (EASE^R's closed form), by Cholesky. About n³/2 multiply-adds, each a
 * dot product of two contiguous rows with four accumulators (strided column walks were 3x slower): about
 * 3 s for 1,700 items on one core of our machines, which is why EASE^R has a catalog limit here.
 */

/** Σ x[xAt + t]·y[yAt + t] for t < length. */
function dot(x: Float64Array, xAt: number, y: Float64Array, yAt: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < length; t += 4) {
    s0 += x[xAt + t]! * y[yAt + t]!;
    s1 += x[xAt + t + 1]! * y[yAt + t + 1]!;
    s2 += x[xAt + t + 2]! * y[yAt + t + 2]!;
    s3 += x[xAt + t + 3]! * y[yAt + t + 3]!;
  }
  for (; t < length; t++) s0 += x[xAt + t]! * y[yAt + t]!;
  return s0 + s1 + s2 + s3;
}

/** Inverts the symmetric positive definite n×n matrix `a` in place (both triangles are read and written). */
export function invertSymmetricPositiveDefinite(a: Float64Array, n: number): void {
  // 1. a = L·Lᵀ, L in the lower triangle: L[i][j] = (a[i][j] − row i · row j, up to j) / L[j][j].
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    const diagonal = a[rowJ + j]! - dot(a, rowJ, a, rowJ, j);
    if (!(diagonal > 0)) throw new Error(`matrix is not positive definite (pivot ${j})`);
    const ljj = Math.sqrt(diagonal);
    a[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) a[i * n + j] = (a[i * n + j]! - dot(a, i * n, a, rowJ, j)) / ljj;
  }
  // 2. L⁻¹, kept transposed so that its columns are rows here: t[j][i] = L⁻¹[i][j] (upper triangle).
  //    L⁻¹[i][j] = −(Σ_{j≤k<i} L[i][k]·L⁻¹[k][j]) / L[i][i], and L⁻¹[i][i] = 1 / L[i][i].
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const lii = a[i * n + i]!;
    for (let j = 0; j < i; j++) t[j * n + i] = -dot(a, i * n + j, t, j * n + j, i - j) / lii;
    t[i * n + i] = 1 / lii;
  }
  // 3. a⁻¹ = L⁻ᵀ·L⁻¹: entry (i, j), j ≤ i, is Σ_{k≥i} L⁻¹[k][i]·L⁻¹[k][j], rows i and j of t from column i.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const value = dot(t, i * n + i, t, j * n + i, n - i);
      a[i * n + j] = value;
      a[j * n + i] = value;
    }
  }
}
