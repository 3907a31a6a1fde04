// The ASP.NET host of sessctl's runtime suite (tests/runtime.rs): Mono's System.Web, hosted
// in-process, answering one request per line of standard input. See SPEC §9.
//
// A request line is TAB-separated: APPLICATION, PAGE (a virtual path), QUERY, COOKIE, where
// APPLICATION is the physical folder of the application's root, with `|/vpath` when the
// application is not the site root (default `/`). The
// answer is the response's status and headers, a blank line, the body, then a line holding
// only U+001E. Other lines: "UNLOAD\tPHYSICAL_ROOT" ends that application's AppDomain;
// "SQLITE\tFILE" creates the Sessions table of Mono's SQLServer mode in a SQLite file.
using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Configuration;
using System.IO;
using System.Text;
using System.Web;
using System.Web.Configuration;
using System.Web.Hosting;
using System.Web.SessionState;

public class Req : SimpleWorkerRequest {
    string page; string cookie; string phys; StringBuilder headers;
    public Req(string page, string query, string cookie, string phys, TextWriter w, StringBuilder headers)
        : base(page.TrimStart('/'), query, w) { this.page = page; this.cookie = cookie; this.phys = phys; this.headers = headers; }
    public override string GetUriPath() { return page; }
    public override string GetFilePath() { return page; }
    public override string GetPathInfo() { return ""; }
    public override string GetFilePathTranslated() { return MapPath(page); }
    public override string GetAppPath() { return HttpRuntime.AppDomainAppVirtualPath; }
    public override string MapPath(string virtualPath) {
        string app = HttpRuntime.AppDomainAppVirtualPath.TrimEnd('/');
        if (app.Length > 0 && virtualPath.StartsWith(app, StringComparison.OrdinalIgnoreCase))
            virtualPath = virtualPath.Substring(app.Length);
        string rel = virtualPath.TrimStart('/').Replace('/', Path.DirectorySeparatorChar);
        return Path.Combine(phys, rel);
    }
    public override string GetKnownRequestHeader(int index) {
        if (index == HeaderCookie && cookie.Length > 0) return cookie;
        return base.GetKnownRequestHeader(index);
    }
    public override void SendStatus(int code, string desc) { headers.Append("Status: " + code + "\n"); }
    public override void SendKnownResponseHeader(int index, string value) { headers.Append(GetKnownResponseHeaderName(index) + ": " + value + "\n"); }
    public override void SendUnknownResponseHeader(string name, string value) { headers.Append(name + ": " + value + "\n"); }
}

public class Host : MarshalByRefObject {
    public override object InitializeLifetimeService() { return null; }
    public AppDomain Domain() { return AppDomain.CurrentDomain; }
    public string Run(string page, string query, string cookie) {
        var sw = new StringWriter();
        var headers = new StringBuilder();
        var wr = new Req(page, query, cookie, HttpRuntime.AppDomainAppPath, sw, headers);
        HttpRuntime.ProcessRequest(wr);
        sw.Flush();
        return headers.ToString() + "\n" + sw.ToString();
    }
}

// The effective sessionState section at the request's folder, as the configuration system reads it.
public class Probe : IHttpHandler {
    public bool IsReusable { get { return false; } }
    static string B(bool b) { return b ? "true" : "false"; }
    static string Secs(TimeSpan t) { return t == TimeSpan.MaxValue ? "Infinite" : ((long)t.TotalSeconds).ToString(); }
    static string Mins(TimeSpan t) { return t == TimeSpan.MaxValue ? "Infinite" : ((long)t.TotalMinutes).ToString(); }
    // One optional part of the probe: what `write` prints from the configuration at `vpath`,
    // or `error=` and why the runtime refuses it.
    static void Part(System.IO.TextWriter o, string vpath, string error, Action<System.Configuration.Configuration> write) {
        try {
            write(WebConfigurationManager.OpenWebConfiguration(vpath));
        } catch (Exception e) {
            // The configuration system's own error, not the reflection wrapper around it.
            while ((e is System.Reflection.TargetInvocationException || e is TypeInitializationException) && e.InnerException != null) {
                e = e.InnerException;
            }
            o.Write(error + "=" + e.GetType().Name + ": " + e.Message.Replace("\n", " ") + "\n");
        }
    }
    public void ProcessRequest(HttpContext ctx) {
        ctx.Response.ContentType = "text/plain";
        string vpath = ctx.Request.FilePath;
        var o = ctx.Response.Output;
        try {
            var cfg = WebConfigurationManager.OpenWebConfiguration(vpath);
            var s = (SessionStateSection)cfg.GetSection("system.web/sessionState");
            o.Write("allowCustomSqlDatabase=" + B(s.AllowCustomSqlDatabase) + "\n");
            o.Write("cookieless=" + s.Cookieless + "\n");
            o.Write("cookieName=" + s.CookieName + "\n");
            o.Write("customProvider=" + s.CustomProvider + "\n");
            o.Write("mode=" + s.Mode + "\n");
            o.Write("partitionResolverType=" + s.PartitionResolverType + "\n");
            o.Write("regenerateExpiredSessionId=" + B(s.RegenerateExpiredSessionId) + "\n");
            o.Write("sessionIDManagerType=" + s.SessionIDManagerType + "\n");
            o.Write("sqlCommandTimeout=" + Secs(s.SqlCommandTimeout) + "\n");
            o.Write("sqlConnectionString=" + s.SqlConnectionString + "\n");
            o.Write("stateConnectionString=" + s.StateConnectionString + "\n");
            o.Write("stateNetworkTimeout=" + Secs(s.StateNetworkTimeout) + "\n");
            o.Write("timeout=" + Mins(s.Timeout) + "\n");
            o.Write("useHostingIdentity=" + B(s.UseHostingIdentity) + "\n");
            foreach (ProviderSettings p in s.Providers) o.Write("provider=" + p.Name + "|" + p.Type + "\n");
            var page = (SessionPageStateSection)cfg.GetSection("system.web/sessionPageState");
            o.Write("historySize=" + page.HistorySize + "\n");
        } catch (Exception e) {
            o.Write("ERROR=" + e.GetType().Name + ": " + e.Message.Replace("\n", " ") + "\n");
        }
        // ?mk=1: the <machineKey> keys in scope (a configSource followed), or why the runtime
        // refuses the section.
        if (ctx.Request.QueryString["mk"] == "1") {
            Part(o, vpath, "MKERROR", cfg => {
                var mk = (MachineKeySection)cfg.GetSection("system.web/machineKey");
                o.Write("validationKey=" + mk.ValidationKey + "\n");
                o.Write("decryptionKey=" + mk.DecryptionKey + "\n");
            });
        }
        // ?cs=1: the <connectionStrings> in scope (what session state reads a name from), or
        // why the runtime refuses the section.
        if (ctx.Request.QueryString["cs"] == "1") {
            Part(o, vpath, "CONNERROR", cfg => {
                foreach (ConnectionStringSettings c in cfg.ConnectionStrings.ConnectionStrings)
                    o.Write("connectionString=" + c.Name + "|" + c.ConnectionString + "\n");
            });
        }
    }
}

// A page that counts its requests in Session.
public class Counter : IHttpHandler, IRequiresSessionState {
    public bool IsReusable { get { return false; } }
    public void ProcessRequest(HttpContext ctx) {
        ctx.Response.ContentType = "text/plain";
        var o = ctx.Response.Output;
        if (ctx.Session == null) { o.Write("session=none\n"); return; }
        object v = ctx.Session["n"];
        int n = (v == null ? 0 : (int)v) + 1;
        ctx.Session["n"] = n;
        o.Write("n=" + n + "\n");
        o.Write("mode=" + ctx.Session.Mode + "\n");
        o.Write("timeout=" + ctx.Session.Timeout + "\n");
        o.Write("cookieless=" + (ctx.Session.IsCookieless ? "true" : "false") + "\n");
        o.Write("id=" + ctx.Session.SessionID + "\n");
        o.Write("memstore=" + MemStore.Calls + "\n");
    }
}

// A custom session-state store (mode Custom): sessions in a dictionary of this AppDomain.
public class MemStore : SessionStateStoreProviderBase {
    public static int Calls;
    static Dictionary<string, byte[]> items = new Dictionary<string, byte[]>();
    public override void Initialize(string name, NameValueCollection config) { base.Initialize(name, config); }
    public override void Dispose() { }
    public override bool SetItemExpireCallback(SessionStateItemExpireCallback cb) { return false; }
    public override void InitializeRequest(HttpContext ctx) { }
    public override void EndRequest(HttpContext ctx) { }
    public override SessionStateStoreData CreateNewStoreData(HttpContext ctx, int timeout) {
        return new SessionStateStoreData(new SessionStateItemCollection(), SessionStateUtility.GetSessionStaticObjects(ctx), timeout);
    }
    public override void CreateUninitializedItem(HttpContext ctx, string id, int timeout) { }
    SessionStateStoreData Get(HttpContext ctx, string id, out bool locked, out TimeSpan lockAge, out object lockId, out SessionStateActions actions) {
        Calls++;
        locked = false; lockAge = TimeSpan.Zero; lockId = 1; actions = SessionStateActions.None;
        byte[] data;
        if (id == null || !items.TryGetValue(id, out data)) return null;
        var r = new BinaryReader(new MemoryStream(data));
        return new SessionStateStoreData(SessionStateItemCollection.Deserialize(r), SessionStateUtility.GetSessionStaticObjects(ctx), 20);
    }
    public override SessionStateStoreData GetItem(HttpContext ctx, string id, out bool locked, out TimeSpan lockAge, out object lockId, out SessionStateActions actions) {
        return Get(ctx, id, out locked, out lockAge, out lockId, out actions);
    }
    public override SessionStateStoreData GetItemExclusive(HttpContext ctx, string id, out bool locked, out TimeSpan lockAge, out object lockId, out SessionStateActions actions) {
        return Get(ctx, id, out locked, out lockAge, out lockId, out actions);
    }
    public override void ReleaseItemExclusive(HttpContext ctx, string id, object lockId) { }
    public override void SetAndReleaseItemExclusive(HttpContext ctx, string id, SessionStateStoreData item, object lockId, bool newItem) {
        Calls++;
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        ((SessionStateItemCollection)item.Items).Serialize(w);
        w.Flush();
        items[id] = ms.ToArray();
    }
    public override void RemoveItem(HttpContext ctx, string id, object lockId, SessionStateStoreData item) { items.Remove(id); }
    public override void ResetItemTimeout(HttpContext ctx, string id) { }
}

// A partition resolver (mode StateServer or SQLServer): every session on the test's state
// service, whatever the section's own connection string says.
public class Resolver : IPartitionResolver {
    public void Initialize() { }
    public string ResolvePartition(object key) { return "tcpip=127.0.0.1:42424"; }
}

public static class Program {
    static Dictionary<string, Host> hosts = new Dictionary<string, Host>();
    public static int Main(string[] args) {
        string line;
        var stdout = Console.Out;
        while ((line = Console.In.ReadLine()) != null) {
            var f = line.Split('\t');
            string answer;
            try {
                if (f[0] == "UNLOAD") {
                    Host gone;
                    if (hosts.TryGetValue(f[1], out gone)) {
                        hosts.Remove(f[1]);
                        AppDomain.Unload(gone.Domain());
                    }
                    answer = "unloaded\n";
                } else if (f[0] == "SQLITE") {
                    answer = Sqlite(f[1]);
                } else {
                    Host h;
                    if (!hosts.TryGetValue(f[0], out h)) {
                        var app = f[0].Split('|');
                        string vdir = app.Length > 1 ? app[1] : "/";
                        h = (Host)ApplicationHost.CreateApplicationHost(typeof(Host), vdir, app[0]);
                        hosts[f[0]] = h;
                    }
                    answer = h.Run(f[1], f.Length > 2 ? f[2] : "", f.Length > 3 ? f[3] : "");
                }
            } catch (Exception e) {
                answer = "HOSTERROR=" + e.ToString().Replace("\n", " ") + "\n";
            }
            stdout.Write(answer);
            stdout.Write("\n\u001e\n");
            stdout.Flush();
        }
        return 0;
    }

    // The table Mono's SQLServer mode reads and writes (Mono's ASPState.sql, for SQLite).
    static string Sqlite(string file) {
        var conn = new Mono.Data.Sqlite.SqliteConnection("Data Source=" + file + ";Version=3");
        conn.Open();
        var cmd = conn.CreateCommand();
        cmd.CommandText = "CREATE TABLE IF NOT EXISTS Sessions (SessionId varchar(80) NOT NULL, ApplicationName varchar(255) NOT NULL, Created datetime NOT NULL, Expires datetime NOT NULL, LockDate datetime NOT NULL, LockId int NOT NULL, Timeout int NOT NULL, Locked bit NOT NULL, SessionItems text, Flags int NOT NULL, PRIMARY KEY (SessionId, ApplicationName))";
        cmd.ExecuteNonQuery();
        cmd.CommandText = "SELECT count(*) FROM Sessions";
        var n = cmd.ExecuteScalar();
        conn.Close();
        return "rows=" + n + "\n";
    }
}
