/// <summary>Makes the entry point visible to <c>WebApplicationFactory&lt;Program&gt;</c> in the API tests.</summary>
public partial class Program;
