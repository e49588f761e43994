// Local mode runs Debian packages; these tests exercise it on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
