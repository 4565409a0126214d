/// Zeroed `Int64` counters in one allocation, written through a pointer.
///
/// The engine bumps a dozen counters per message; through arrays each write
/// pays a uniqueness check (a runtime call) and a bounds check. The arena is
/// owned by the engine for one run and its pointers never escape it, so the
/// checks buy nothing there. Read results out with `array(_:)`.
final class CounterArena {
  let base: UnsafeMutablePointer<Int64>
  let count: Int
  /// Counters allocated later (`allocateExtra`), freed with the arena.
  private var extra: [UnsafeMutablePointer<Int64>] = []

  init(count: Int) {
    self.count = count
    base = .allocate(capacity: Swift.max(count, 1))
    base.initialize(repeating: 0, count: Swift.max(count, 1))
  }

  /// Zeroed counters that live as long as the arena.
  func allocateExtra(_ count: Int) -> UnsafeMutablePointer<Int64> {
    let block = UnsafeMutablePointer<Int64>.allocate(capacity: Swift.max(count, 1))
    block.initialize(repeating: 0, count: Swift.max(count, 1))
    extra.append(block)
    return block
  }

  /// Frees a block from `allocateExtra` before the arena goes (a buffer that was outgrown).
  func free(_ block: UnsafeMutablePointer<Int64>) {
    guard let index = extra.firstIndex(of: block) else { preconditionFailure("not this arena's block") }
    extra.swapAt(index, extra.count - 1)
    extra.removeLast().deallocate()
  }

  /// Frees every block from `allocateExtra`; pointers to them must not be used again.
  func freeExtras() {
    for block in extra { block.deallocate() }
    extra.removeAll()
  }

  deinit {
    base.deallocate()
    for block in extra { block.deallocate() }
  }

  func array(_ range: Range<Int>) -> [Int] {
    precondition(range.lowerBound >= 0 && range.upperBound <= count)
    return range.map { Int(base[$0]) }
  }
}

/// A window of `width` counters per campaign inside an arena.
struct CounterBlock {
  let arena: CounterArena
  let base: UnsafeMutablePointer<Int64>
  let width: Int

  init(campaigns: Int, width: Int) {
    arena = CounterArena(count: campaigns * width)
    base = arena.base
    self.width = width
  }

  @inline(__always)
  func add(_ campaign: Int, _ slot: Int, _ count: Int = 1) {
    base[campaign &* width &+ slot] &+= Int64(count)
  }

  @inline(__always)
  subscript(campaign: Int, slot: Int) -> Int {
    get { Int(base[campaign &* width &+ slot]) }
    nonmutating set { base[campaign &* width &+ slot] = Int64(newValue) }
  }

  func row(_ campaign: Int) -> [Int] { arena.array(campaign * width..<(campaign + 1) * width) }
}

/// The campaigns' contact models in one allocation, read in place through a pointer.
///
/// A `ContactModel` is a few hundred bytes; read out of an array it was copied (a memcpy) on
/// every dispatch. The table is owned by the engine for one run and never written after init.
final class ContactModelTable {
  let base: UnsafeMutablePointer<ContactModel>
  let count: Int

  init(_ models: [ContactModel]) {
    count = models.count
    base = .allocate(capacity: Swift.max(count, 1))
    base.initialize(from: models, count: count)
  }

  deinit {
    base.deinitialize(count: count)
    base.deallocate()
  }
}
