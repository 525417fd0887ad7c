[assembly: AssemblyFixture(typeof(DynamoDbLocalFixture))]
