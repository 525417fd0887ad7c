global using System.Net;
global using System.Net.Http.Json;
global using System.Text.Json;
global using Pairwise.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(DynamoDbLocalFixture))]
