[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("TTMall.Hosting.Tests")]
