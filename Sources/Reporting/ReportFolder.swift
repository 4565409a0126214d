import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A folder that holds one report set (`run`'s report.json, report.md, …, or
/// `sweep`'s sweep.csv, …), replaced as a whole.
///
/// Why a folder and not file by file: a reader, or an interruption, must never
/// meet a new report.json beside the previous run's report.html (issue 10). The
/// new set is written and fsynced in a hidden sibling folder, then swapped in
/// with one rename, so at any instant the folder holds the whole previous set or
/// the whole new one.
public struct ReportFolder: Sendable {
  public let path: String
  /// Names a set may hold; a folder with anything else in it is not a report
  /// folder, and is never replaced (it could be the user's own files).
  public let fileNames: Set<String>
  /// Subfolders that live in the folder without belonging to the set (`run`'s
  /// `sweep`, which `campaign-sim sweep` writes by default): carried over.
  public let keptFolders: Set<String>

  public init(path: String, fileNames: Set<String>, keptFolders: Set<String> = []) {
    self.path = path
    self.fileNames = fileNames
    self.keptFolders = keptFolders
  }

  /// The folder of `campaign-sim run`.
  public static func run(_ path: String) -> ReportFolder {
    ReportFolder(path: path, fileNames: Set(ReportFormat.allCases.flatMap(\.fileNames)), keptFolders: ["sweep"])
  }

  /// The folder of `campaign-sim sweep`.
  public static func sweep(_ path: String) -> ReportFolder {
    ReportFolder(path: path, fileNames: ["sweep.csv", "sweep.md", "sweep.html"])
  }

  // MARK: Checking

  /// Refuses, before anything runs, a path that cannot become this report
  /// folder: empty, the root or `.`/`..`, a file, a folder holding other
  /// things, or a place where no folder can be created.
  public func check() throws(OutputError) {
    func refuse(_ reason: String) -> OutputError { OutputError(path: path, reason: reason) }
    guard !path.isEmpty else {
      throw OutputError(path: "--out", reason: "empty path; expected a folder for the reports")
    }
    guard !path.utf8.contains(0) else { throw refuse("the path contains a NUL character") }
    let last = Self.lastComponent(path)
    guard !["", ".", ".."].contains(last) else {
      throw refuse("cannot be a report folder (it must end in a folder name, not '/', '.' or '..')")
    }
    guard last.utf8.count <= 200 else { throw refuse("folder name longer than 200 bytes") }
    var status = stat()
    if lstat(path, &status) == 0 {
      guard (status.st_mode & S_IFMT) == S_IFDIR else {
        throw refuse("exists and is not a folder; expected a folder for the reports")
      }
      let entries: [String]
      do {
        entries = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
      } catch {
        throw refuse("cannot list the folder: \(Self.reason(error))")
      }
      if let foreign = entries.first(where: { !fileNames.contains($0) && !keptFolders.contains($0) }) {
        throw refuse(
          "holds '\(foreign)', which is not a report file; the folder is replaced as a whole, so give a new or empty folder"
        )
      }
      guard access(Self.parent(of: path), W_OK | X_OK) == 0 else {
        throw refuse("cannot replace the folder: \(String(cString: strerror(errno))) (in its parent folder)")
      }
      return
    }
    guard errno == ENOENT else { throw refuse(String(cString: strerror(errno))) }
    // Nothing there yet: the nearest existing ancestor must be a folder we may write in.
    var ancestor = Self.parent(of: path)
    while lstat(ancestor, &status) != 0 {
      guard errno == ENOENT else { throw refuse("cannot create the folder: \(String(cString: strerror(errno)))") }
      let up = Self.parent(of: ancestor)
      if up == ancestor { break }
      ancestor = up
    }
    guard (status.st_mode & S_IFMT) == S_IFDIR else {
      throw refuse("cannot create the folder: '\(ancestor)' is not a folder")
    }
    guard access(ancestor, W_OK | X_OK) == 0 else {
      throw refuse("cannot create the folder in '\(ancestor)': \(String(cString: strerror(errno)))")
    }
  }

  // MARK: Writing

  /// Writes `files` as the folder's new set. On any failure or interruption the
  /// folder keeps its previous set and no temporary file or folder remains.
  ///
  /// - `interruption` is asked between files and before the swap; a status it
  ///   returns (130 for SIGINT, 143 for SIGTERM) abandons the new set.
  /// - `writeFile` writes one file durably; tests inject failures through it.
  public func write(
    _ files: [(name: String, contents: String)],
    interruption: () -> Int32? = { nil },
    writeFile: (String, [UInt8]) throws(OutputError) -> Void = ReportFolder.writeDurably
  ) throws(ReportWriteError) {
    try write(
      files.map { ReportFile($0.name, contents: $0.contents) }, interruption: interruption,
      writeFile: { (path: String, file: ReportFile) throws(OutputError) in
        try writeFile(path, Array(file.contents.utf8))
      }
    )
  }

  /// `write` for files rendered while they are written, one at a time.
  public func write(
    _ files: [ReportFile],
    interruption: () -> Int32? = { nil },
    writeFile: (String, ReportFile) throws(OutputError) -> Void = ReportFolder.writeDurably
  ) throws(ReportWriteError) {
    do {
      try check()
    } catch {
      throw .unusable(error)
    }
    let parent = Self.parent(of: path)
    let base = Self.lastComponent(path)
    do {
      try Self.createFolders(parent)
    } catch {
      throw .failed(error)
    }
    let staging = parent + "/.\(base).partial-\(getpid())"
    Self.removeTree(staging)
    guard mkdir(staging, 0o755) == 0 else {
      throw .failed(OutputError(path: path, reason: "cannot create a folder beside it: \(Self.errnoText())"))
    }
    for file in files {
      if let status = interruption() {
        Self.removeTree(staging)
        throw .interrupted(status)
      }
      do {
        try writeFile(staging + "/" + file.name, file)
      } catch {
        Self.removeTree(staging)
        throw .failed(OutputError(path: path + "/" + file.name, reason: error.reason))
      }
    }
    Self.syncFolder(staging)
    if let status = interruption() {
      Self.removeTree(staging)
      throw .interrupted(status)
    }
    do {
      try swapIn(staging, parent: parent)
    } catch {
      Self.removeTree(staging)
      throw .failed(error)
    }
    Self.syncFolder(parent)
  }

  /// Puts the staged folder at `path`; the previous set, if any, ends up at
  /// `staging` and is deleted.
  private func swapIn(_ staging: String, parent: String) throws(OutputError) {
    var status = stat()
    guard lstat(path, &status) == 0 else {
      guard rename(staging, path) == 0 else {
        throw OutputError(path: path, reason: "cannot move the reports into place: \(Self.errnoText())")
      }
      return
    }
    let kept = keptFolders.sorted().filter { lstat(path + "/" + $0, &status) == 0 }
    for (index, name) in kept.enumerated() where rename(path + "/" + name, staging + "/" + name) != 0 {
      let reason = Self.errnoText()
      for back in kept[..<index] { rename(staging + "/" + back, path + "/" + back) }
      throw OutputError(path: path + "/" + name, reason: "cannot carry the folder over: \(reason)")
    }
    if !Self.exchange(staging, path) {
      // No atomic exchange here (another OS or file system): two renames, the
      // second undone if it fails. Only a crash between them leaves no folder,
      // never a mixed one.
      let aside = parent + "/.\(Self.lastComponent(path)).previous-\(getpid())"
      Self.removeTree(aside)
      guard rename(path, aside) == 0 else {
        let reason = Self.errnoText()
        for name in kept { rename(staging + "/" + name, path + "/" + name) }
        throw OutputError(path: path, reason: "cannot replace the folder: \(reason)")
      }
      guard rename(staging, path) == 0 else {
        let reason = Self.errnoText()
        rename(aside, path)
        for name in kept { rename(staging + "/" + name, path + "/" + name) }
        throw OutputError(path: path, reason: "cannot move the reports into place: \(reason)")
      }
      Self.removeTree(aside)
      return
    }
    Self.removeTree(staging)
  }

  // MARK: File system

  /// Creates `contents` at `path` (which must not exist), fsyncs it, and says
  /// why not with the system's own words ("No space left on device").
  public static func writeDurably(_ path: String, _ contents: [UInt8]) throws(OutputError) {
    try writeDurably(path, ReportFile(path) { emit in emit(String(decoding: contents, as: UTF8.self)) })
  }

  /// Renders `file` into `path` piece by piece; the first failed write stops the writing (the
  /// rest of the rendering is skipped) and removes the file.
  public static func writeDurably(_ path: String, _ file: ReportFile) throws(OutputError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw OutputError(path: path, reason: errnoText()) }
    var failure: String?
    file.produce { piece in
      guard failure == nil else { return }
      var piece = piece
      piece.withUTF8 { buffer in
        var offset = 0
        while offset < buffer.count {
          let written = posixWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
          if written < 0 {
            if errno == EINTR { continue }
            failure = errnoText()
            return
          }
          offset += written
        }
      }
    }
    if failure == nil && fsync(fd) != 0 { failure = errnoText() }
    if close(fd) != 0 && failure == nil { failure = errnoText() }
    if let failure {
      unlink(path)
      throw OutputError(path: path, reason: failure)
    }
  }

  static func errnoText() -> String { String(cString: strerror(errno)) }

  static func reason(_ error: Error) -> String {
    if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError,
      underlying.domain == NSPOSIXErrorDomain
    {
      return String(cString: strerror(Int32(underlying.code)))
    }
    return (error as NSError).localizedDescription
  }

  static func lastComponent(_ path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    if trimmed == "/" { return "" }
    return String(trimmed.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
  }

  static func parent(of path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "." }
    return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
  }

  /// `mkdir -p`, with the failing folder and the system's reason.
  static func createFolders(_ path: String) throws(OutputError) {
    var status = stat()
    if stat(path, &status) == 0 {
      guard (status.st_mode & S_IFMT) == S_IFDIR else { throw OutputError(path: path, reason: "not a folder") }
      return
    }
    let up = parent(of: path)
    if up != path { try createFolders(up) }
    guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
      throw OutputError(path: path, reason: "cannot create folder: \(errnoText())")
    }
  }

  static func removeTree(_ path: String) {
    var status = stat()
    guard lstat(path, &status) == 0 else { return }
    try? FileManager.default.removeItem(atPath: path)
  }

  static func syncFolder(_ path: String) {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    fsync(fd)
    close(fd)
  }

  /// Swaps two folders in one step (Linux renameat2 RENAME_EXCHANGE); false
  /// where that is not available.
  static func exchange(_ a: String, _ b: String) -> Bool {
    #if os(Linux)
      typealias RenameAt2 =
        @convention(c) (
          Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32
        ) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
      let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
      let renameExchange: UInt32 = 1 << 1
      return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
    #else
      return false
    #endif
  }
}

/// `write(2)`, named apart from `ReportFolder.write`.
private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, bytes, count)
}

/// Why a report set was not written, and what the exit status should say.
public enum ReportWriteError: Error, CustomStringConvertible {
  /// The path cannot be a report folder: bad input (exit 2).
  case unusable(OutputError)
  /// The file system refused (exit 1); the previous set is intact.
  case failed(OutputError)
  /// A signal arrived before the swap; the previous set is intact.
  case interrupted(Int32)

  public var description: String {
    switch self {
    case .unusable(let error), .failed(let error): error.description
    case .interrupted(let status):
      "interrupted (\(status == 143 ? "SIGTERM" : "SIGINT")): no report written, the previous one is unchanged"
    }
  }
}
