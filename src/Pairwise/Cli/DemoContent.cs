using System.Globalization;
using System.Text.Json.Nodes;
using Bogus;

namespace Pairwise.Cli;

/// <summary>What a seeded listing says: title, description, tags and price.</summary>
internal sealed record ListingText(string Title, string Description, IReadOnlyList<string> Tags, decimal? Price);

/// <summary>
/// Templates that make the preset markets' seeded data read like a real platform: a series-B startup
/// raises millions with a team to match, an investor's smallest cheque is below the largest, a shift
/// ends after it starts, a bike costs what bikes cost. Bogus gives the variety, these tables the
/// sense. A market without templates keeps the schema-driven values.
/// </summary>
internal static class DemoContent
{
    // (stage, amount raised from–to, team from–to, cheque from–to), in USD.
    private static readonly Dictionary<string, (double Raise, double RaiseTo, int Team, int TeamTo, double Check, double CheckTo)> Stages = new()
    {
        ["pre-seed"] = (150_000, 750_000, 2, 8, 25_000, 250_000),
        ["seed"] = (750_000, 3_000_000, 4, 20, 100_000, 1_500_000),
        ["series-a"] = (3_000_000, 15_000_000, 15, 70, 1_000_000, 8_000_000),
        ["series-b"] = (15_000_000, 50_000_000, 50, 200, 5_000_000, 25_000_000),
        ["series-c"] = (40_000_000, 120_000_000, 150, 500, 15_000_000, 60_000_000),
        ["growth"] = (100_000_000, 400_000_000, 300, 2000, 30_000_000, 150_000_000),
    };

    private static readonly string[] StageOrder = ["pre-seed", "seed", "series-a", "series-b", "series-c", "growth"];

    // What startups of an industry build, and for whom.
    private static readonly Dictionary<string, (string[] Builds, string[] For, string[] Names)> Industries = new()
    {
        ["fintech"] = (["card payments", "cross-border payroll", "credit scoring", "treasury software"], ["small merchants", "gig workers", "exporters"], ["Pay", "Ledger", "Coin", "Vault"]),
        ["healthtech"] = (["remote patient monitoring", "clinic scheduling", "AI triage"], ["clinics", "elderly care homes", "insurers"], ["Health", "Care", "Med", "Pulse"]),
        ["edtech"] = (["adaptive maths tutoring", "language practice", "exam preparation"], ["secondary schools", "adult learners", "tutoring centres"], ["Learn", "Tutor", "Class", "Study"]),
        ["ecommerce"] = (["live-shopping storefronts", "same-day fulfilment", "returns handling"], ["fashion brands", "grocers", "marketplaces"], ["Cart", "Shop", "Basket", "Store"]),
        ["saas"] = (["inventory software", "HR software", "a contract workspace"], ["restaurants", "retail chains", "law firms"], ["Works", "Desk", "Stack", "Base"]),
        ["ai"] = (["document understanding", "voice agents", "demand forecasting"], ["banks", "call centres", "retailers"], ["AI", "Mind", "Neural", "Sense"]),
        ["climate"] = (["building energy retrofits", "carbon accounting", "EV fleet charging"], ["property managers", "manufacturers", "logistics fleets"], ["Grid", "Carbon", "Solar", "Green"]),
        ["biotech"] = (["rapid diagnostics", "cell-line development", "microbiome therapies"], ["hospitals", "pharma labs", "research institutes"], ["Bio", "Gene", "Cell", "Thera"]),
        ["proptech"] = (["tenant apps", "smart building sensors", "rental payments"], ["landlords", "property managers", "co-living operators"], ["Nest", "Key", "Home", "Estate"]),
        ["logistics"] = (["cross-border freight booking", "last-mile routing", "cold-chain tracking"], ["importers", "couriers", "food distributors"], ["Freight", "Route", "Cargo", "Ship"]),
        ["consumer"] = (["a savings app", "a pet-care subscription", "healthy snacks"], ["young professionals", "pet owners", "families"], ["Joy", "Daily", "Nook", "Bloom"]),
        ["gaming"] = (["mobile puzzle games", "esports tooling", "game analytics"], ["casual players", "esports teams", "studios"], ["Play", "Quest", "Pixel", "Arcade"]),
        ["cybersecurity"] = (["phishing defence", "cloud posture checks", "identity security"], ["mid-sized companies", "banks", "hospitals"], ["Secure", "Shield", "Guard", "Lock"]),
        ["hardware"] = (["warehouse robots", "low-power sensors", "drone inspection"], ["warehouses", "utilities", "construction firms"], ["Robotics", "Devices", "Labs", "Motion"]),
        ["foodtech"] = (["plant-based seafood", "kitchen automation", "surplus-food resale"], ["restaurants", "supermarkets", "caterers"], ["Foods", "Kitchen", "Harvest", "Taste"]),
        ["mobility"] = (["e-scooter fleets", "ride pooling", "parking software"], ["commuters", "city councils", "car parks"], ["Move", "Ride", "Go", "Transit"]),
        ["media"] = (["short-video tools", "podcast hosting", "local news apps"], ["creators", "publishers", "brands"], ["Media", "Studio", "Cast", "Story"]),
        ["other"] = (["tools for the trades", "event ticketing", "a booking platform"], ["tradespeople", "venues", "small businesses"], ["Co", "Hub", "Labs", "One"]),
    };

    private static readonly string[] NameStarts =
        ["Lantern", "Harbour", "Jade", "Kite", "Tidal", "Orbit", "Maple", "Copper", "Nimbus", "Pearl", "Summit", "Atlas", "Beacon", "Cedar", "Ember", "Granite", "Junk", "Peak", "Lotus", "Signal"];

    private static readonly string[] HomeMarkets = ["Hong Kong", "Singapore", "Shanghai", "Shenzhen", "Tokyo", "Taipei", "Seoul", "Sydney"];

    private static readonly string[] FundWords = ["Capital", "Ventures", "Partners", "Fund", "Investments"];

    // Gigs: kinds of restaurant work, as workers describe it and as employers post it (HKD per hour).
    private static readonly (string Kind, string Worker, string Title, string Job, string Chinese, int Rate, int RateTo)[] Work =
    [
        ("waiter", "Waiter with evening shift experience, table service and taking orders", "Waiter for dinner service", "Table service and taking orders for the dinner shift.", "侍應", 70, 110),
        ("kitchen", "Kitchen helper, food prep and dishwashing", "Kitchen helper", "Food prep, washing up and keeping the kitchen clean.", "廚房幫工", 65, 95),
        ("barista", "Barista, espresso drinks and latte art", "Barista for the morning rush", "Espresso drinks and latte art at a busy café counter.", "咖啡師", 75, 120),
        ("cashier", "Cashier, POS systems and taking orders at the counter", "Cashier at the counter", "Taking orders and payments on the POS at the counter.", "收銀員", 65, 95),
        ("banquet", "Banquet and event staff, weekends", "Banquet staff for a wedding dinner", "Serving courses and clearing tables at a wedding banquet.", "宴會侍應", 85, 140),
        ("delivery", "Delivery rider with a motorcycle licence", "Delivery rider", "Food deliveries in the district by motorcycle.", "外賣速遞", 80, 130),
    ];

    private static readonly string[] Streets = ["Queen's Road Central", "Hennessy Road", "Nathan Road", "Des Voeux Road", "Lockhart Road", "Sai Yeung Choi Street", "King's Road", "Castle Peak Road"];

    private static readonly string[] Eateries = ["Noodle House", "Cha Chaan Teng", "Café", "Dim Sum", "Kitchen", "Bistro", "Roast House"];

    // Marketplace: what is sold, at what price (HKD), with which tags.
    private static readonly (string Tag, string[] Titles, int Price, int PriceTo, string Other)[] Goods =
    [
        ("bikes", ["Road bike", "Folding bike", "Kids' bike", "Mountain bike"], 400, 4000, "outdoor"),
        ("furniture", ["Oak dining table", "Armchair", "Bookshelf", "Bedside table"], 200, 3000, "home"),
        ("phones", ["iPhone 13, 128 GB", "Pixel 7", "Galaxy S22"], 1200, 4500, "electronics"),
        ("cameras", ["Fujifilm X-T20 with kit lens", "Sony A6000", "Film camera, 35 mm"], 900, 5000, "photography"),
        ("books", ["Box of novels", "Cookbook collection", "Children's picture books"], 50, 400, "reading"),
        ("kitchen", ["Rice cooker", "Stand mixer", "Cast-iron pan"], 100, 1500, "home"),
        ("gaming", ["Switch with two games", "PS5 controller", "Gaming headset"], 200, 2500, "electronics"),
        ("music", ["Acoustic guitar", "61-key keyboard", "Ukulele"], 300, 3000, "hobbies"),
        ("plants", ["Monstera in a pot", "Bonsai", "Set of succulents"], 60, 600, "home"),
        ("fashion", ["Wool coat", "Leather handbag", "Running shoes, size 42"], 100, 1500, "clothing"),
        ("sports", ["Yoga mat and blocks", "Dumbbell set", "Tennis racket"], 80, 1200, "fitness"),
        ("baby", ["Baby stroller", "High chair", "Baby carrier"], 150, 2000, "family"),
    ];

    private static readonly string[] States = ["Barely used", "Well kept", "In great shape", "Lightly used", "Like new"];

    /// <summary>
    /// Coherent values over the generated ones for a preset's profile; its display name, when the
    /// template names one. A demo account (<paramref name="demo"/>) is made to have a full deck: a
    /// worker who waits tables (the commonest work), available; a buyer in Central who looks far.
    /// </summary>
    public static string? ShapeProfile(Markets.MarketDefinition market, string side, JsonObject attributes, JsonObject preferences, Faker faker, bool demo = false)
    {
        switch (market.Id, side)
        {
            case ("venture", "startup"):
                return Startup(attributes, preferences, faker);
            case ("venture", "investor"):
                return Investor(market, attributes, preferences, faker);
            case ("gigs", "worker"):
                var work = demo ? Work[0] : PickWork(faker);
                attributes["jobDescription"] = work.Worker;
                if (demo)
                {
                    attributes["status"] = "available";
                }
                var low = faker.Random.Int(55, 80);
                attributes["hourlyRateRange"] = new JsonObject { ["min"] = low, ["max"] = low + (faker.Random.Int(3, 8) * 10) };
                return null;
            case ("gigs", "employer"):
                var name = $"{faker.PickRandom(NameStarts)} {faker.PickRandom(Eateries)}";
                attributes["companyName"] = name;
                attributes["contactPerson"] = faker.Name.FullName();
                attributes["businessType"] = name.EndsWith("Café", StringComparison.Ordinal) ? "Café" : "Restaurant";
                return name;
            case ("marketplace", "buyer"):
                var goods = faker.PickRandom(Goods, 3).ToList();
                preferences["radiusKm"] = demo ? 60 : faker.Random.Int(10, 40);
                if (demo)
                {
                    attributes["location"] = new JsonObject { ["lat"] = 22.2819, ["lon"] = 114.1582 };
                }
                preferences["tags"] = new JsonArray([.. goods.Select(g => (JsonNode)g.Tag)]);
                preferences["minPrice"] = 0;
                preferences["maxPrice"] = demo ? Goods.Max(g => g.PriceTo) : goods.Max(g => g.PriceTo);
                return null;
            case ("dating", "person"):
                return Person(attributes, preferences, faker, demo);
            case ("marketplace", "seller"):
                attributes["shopName"] = $"{faker.Name.FirstName()}'s {faker.PickRandom("attic", "corner", "finds", "shelf", "closet")}";
                return null;
            default:
                return null;
        }
    }

    /// <summary>A plausible address from a name: letters and digits only ("O'Keefe Ventures" → okeefeventures).</summary>
    private static string Website(string name, string domain) =>
        $"https://{new string([.. name.Where(char.IsAsciiLetterOrDigit)]).ToLowerInvariant()}.{domain}";

    private static string Startup(JsonObject attributes, JsonObject preferences, Faker faker)
    {
        var industry = attributes["industry"]?.GetValue<string>() ?? "other";
        var (builds, customers, names) = Industries.GetValueOrDefault(industry, Industries["other"]);
        var stage = faker.Random.WeightedRandom(StageOrder, [0.18f, 0.32f, 0.24f, 0.13f, 0.08f, 0.05f]);
        var (raise, raiseTo, team, teamTo, _, _) = Stages[stage];
        var name = $"{faker.PickRandom(NameStarts)} {faker.PickRandom(names)}";
        var location = attributes["location"]?.GetValue<string>() ?? "Hong Kong";
        attributes["fundingStage"] = stage;
        attributes["fundingAmount"] = Round(faker.Random.Double(raise, raiseTo), raise / 10);
        attributes["teamSize"] = faker.Random.Int(team, teamTo);
        attributes["website"] = Website(name, "com");
        attributes["description"] = $"{name} builds {faker.PickRandom(builds)} for {faker.PickRandom(customers)} in {location}. "
            + faker.PickRandom(
                $"{faker.Random.Int(12, 400)} paying customers; revenue grew {faker.Random.Int(2, 4)}× last year.",
                $"Live with {faker.Random.Int(3, 40)} customers, {faker.Random.Int(10, 60)}% growth month on month.",
                $"Founded by {faker.Random.Int(2, 3)} former {faker.PickRandom("bankers", "engineers", "doctors", "operators", "teachers")}; pilots under way.");
        preferences["industries"] = new JsonArray(industry);
        return name;
    }

    private static string Investor(Markets.MarketDefinition market, JsonObject attributes, JsonObject preferences, Faker faker)
    {
        string Label(string value) => market.ValueLabels.GetValueOrDefault(value, value);
        var name = $"{faker.PickRandom(NameStarts.Concat([faker.Name.LastName()]).ToArray())} {faker.PickRandom(FundWords)}";
        var first = faker.Random.Int(0, 4);
        var last = Math.Min(StageOrder.Length - 1, first + faker.Random.Int(0, 2));
        var stages = StageOrder[first..(last + 1)];
        var industries = faker.PickRandom(Industries.Keys.Where(k => k != "other").ToArray(), faker.Random.Int(2, 4)).ToArray();
        var locations = HomeMarkets.Take(1).Concat(faker.PickRandom(HomeMarkets[1..], faker.Random.Int(0, 2))).ToArray();
        var (check, checkTo) = (Stages[stages[0]].Check, Stages[stages[^1]].CheckTo);
        attributes["industries"] = Strings(industries);
        attributes["fundingStages"] = Strings(stages);
        attributes["locations"] = Strings(locations);
        attributes["minCheck"] = check;
        attributes["maxCheck"] = checkTo;
        attributes["website"] = Website(name, "vc");
        attributes["description"] = $"We back {string.Join(" to ", new[] { stages[0], stages[^1] }.Distinct().Select(Label))} founders in "
            + $"{string.Join(", ", industries.Take(industries.Length - 1).Select(Label))} and {Label(industries[^1])} across {string.Join(", ", locations)}, "
            + $"with cheques of {Money(check)}–{Money(checkTo)}.";
        preferences["industries"] = Strings(industries);
        preferences["fundingStages"] = Strings(stages);
        preferences["locations"] = Strings(locations);
        return name;
    }

    // Dating: what people say about themselves, by interest.
    private static readonly Dictionary<string, string> Pastimes = new()
    {
        ["hiking"] = "Dragon's Back on a Sunday morning", ["music"] = "live music in small bars", ["cooking"] = "cooking for friends",
        ["travel"] = "planning the next trip", ["film"] = "old films at the Broadway Cinematheque", ["reading"] = "a novel on the Star Ferry",
        ["art"] = "gallery openings in Sheung Wan", ["sports"] = "five-a-side football", ["gaming"] = "co-op games on a rainy night",
        ["photography"] = "street photography in Sham Shui Po", ["dancing"] = "salsa on Thursdays", ["yoga"] = "yoga before work",
        ["food"] = "finding the best dai pai dong", ["tech"] = "tinkering with side projects", ["pets"] = "walking my dog on Bowen Road",
        ["coffee"] = "trying every new café", ["wine"] = "wine tastings", ["theatre"] = "plays at the Arts Centre",
    };

    private static readonly string[] Jobs = ["a nurse", "an architect", "a teacher", "a software engineer", "a chef", "an accountant", "a designer", "a physiotherapist", "a lawyer", "a journalist", "a pilot", "a researcher"];

    /// <summary>
    /// A person in Hong Kong looking for someone close in age: most look for one gender, some for more.
    /// The demo person (29) is open to women and men from 25 to 38, so many people would see her too.
    /// </summary>
    private static string Person(JsonObject attributes, JsonObject preferences, Faker faker, bool demo)
    {
        var gender = demo ? "woman" : faker.Random.WeightedRandom(["woman", "man", "nonbinary"], [0.47f, 0.47f, 0.06f]);
        var age = demo ? 29 : faker.Random.Int(22, 40);
        var interests = faker.PickRandom(Pastimes.Keys.ToArray(), faker.Random.Int(3, 5)).ToArray();
        var (lat, lon) = (Math.Round(faker.Random.Double(22.26, 22.38), 5), Math.Round(faker.Random.Double(114.10, 114.24), 5));
        string[] wanted = demo ? ["woman", "man"] : gender switch
        {
            "woman" => faker.Random.WeightedRandom<string[]>([["man"], ["woman"], ["man", "woman"]], [0.8f, 0.1f, 0.1f]),
            "man" => faker.Random.WeightedRandom<string[]>([["woman"], ["man"], ["man", "woman"]], [0.85f, 0.1f, 0.05f]),
            _ => ["woman", "man", "nonbinary"],
        };
        attributes["age"] = age;
        attributes["gender"] = gender;
        attributes["city"] = "Hong Kong";
        attributes["location"] = new JsonObject { ["lat"] = lat, ["lon"] = lon };
        attributes["interests"] = Strings(interests);
        attributes["interestRatings"] = new JsonObject(interests.Select(i => KeyValuePair.Create(i, (JsonNode?)faker.Random.Int(6, 10))));
        var job = faker.PickRandom(Jobs);
        attributes["bio"] = $"{char.ToUpperInvariant(job[0])}{job[1..]} who loves {Pastimes[interests[0]]} and {Pastimes[interests[1]]}. "
            + faker.PickRandom("Ask me about my last trip.", "Looking for someone to explore the city with.", "Tell me your favourite hidden spot.", "Bonus points if you cook.");
        preferences["genders"] = Strings(wanted);
        preferences["minAge"] = demo ? 25 : Math.Max(18, age - faker.Random.Int(3, 6));
        preferences["maxAge"] = demo ? 38 : age + faker.Random.Int(4, 9);
        preferences["cities"] = Strings(["Hong Kong"]);
        preferences["interests"] = Strings(interests.Take(3));
        preferences["maxDistanceKm"] = faker.Random.Int(25, 50);
        var name = faker.Name.FirstName(gender switch { "woman" => Bogus.DataSets.Name.Gender.Female, "man" => Bogus.DataSets.Name.Gender.Male, _ => faker.PickRandom<Bogus.DataSets.Name.Gender>() });
        return demo ? "Mei" : name;
    }

    /// <summary>A job's text and numbers for gigs; a product's for the marketplace; null for other markets.</summary>
    public static ListingText? Listing(string market, JsonObject attributes, Faker faker, bool demo = false)
    {
        if (market == "gigs")
        {
            var work = demo ? Work[0] : PickWork(faker);
            var hours = faker.Random.Int(3, 8);
            var start = faker.Random.Int(7, 23 - hours);
            var rate = faker.Random.Int(work.Rate / 5, work.RateTo / 5) * 5;
            attributes["hourlyRate"] = rate;
            attributes["durationHours"] = hours;
            attributes["startTime"] = $"{start:00}:00";
            attributes["endTime"] = $"{start + hours:00}:00";
            attributes["venue"] = $"{faker.PickRandom(NameStarts)} {faker.PickRandom(Eateries)}";
            attributes["address"] = $"{faker.Random.Int(1, 280)} {faker.PickRandom(Streets)}, {attributes["district"]?.GetValue<string>() ?? "Central"}";
            return new ListingText($"{work.Title} ({work.Chinese})", $"{work.Job} {hours} hours, {start:00}:00–{start + hours:00}:00, HK${rate} an hour.", [], null);
        }
        if (market == "marketplace")
        {
            var goods = faker.PickRandom(Goods);
            var title = faker.PickRandom(goods.Titles);
            var condition = attributes["condition"]?.GetValue<string>();
            var price = (decimal)(faker.Random.Int(goods.Price / 10, goods.PriceTo / 10) * 10);
            var state = condition == "new" ? "New, still in its box" : faker.PickRandom(States);
            attributes["category"] = goods.Tag;
            return new ListingText(title, $"{state}. {faker.PickRandom("Pick up in", "Can meet near")} {faker.PickRandom("Central", "Mong Kok", "Sha Tin", "Causeway Bay", "Tsuen Wan")}; "
                + faker.PickRandom("cash or FPS.", "happy to show it first.", "price a little negotiable."), [goods.Tag, goods.Other], price);
        }
        return null;
    }

    /// <summary>Waiting work is the commonest kind, so the demo worker (a waiter) has a full deck.</summary>
    private static (string Kind, string Worker, string Title, string Job, string Chinese, int Rate, int RateTo) PickWork(Faker faker) =>
        faker.Random.WeightedRandom(Work, [0.4f, 0.15f, 0.12f, 0.12f, 0.11f, 0.1f]);

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static double Round(double value, double step) => Math.Round(value / step) * step;

    private static string Money(double usd) => usd >= 1_000_000
        ? string.Create(CultureInfo.InvariantCulture, $"${usd / 1_000_000:0.#}M")
        : string.Create(CultureInfo.InvariantCulture, $"${usd / 1_000:0}k");
}
