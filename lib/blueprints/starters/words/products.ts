// Product types per shop category for the customer-review starter. Generic product
// types (not brands) so generated reviews don't make claims about real companies.
export const PRODUCTS_BY_CATEGORY: Readonly<Record<string, readonly string[]>> = {
  electronics: [
    "wireless earbuds", "noise-cancelling headphones", "bluetooth speaker", "smartwatch", "fitness tracker",
    "e-reader", "tablet", "laptop", "USB-C charger", "power bank",
    "webcam", "mechanical keyboard", "wireless mouse", "external SSD", "smart plug",
    "robot vacuum", "action camera", "portable projector",
  ],
  books: [
    "mystery novel", "cookbook", "children's picture book", "science fiction novel", "biography",
    "self-help book", "travel guide", "graphic novel", "history book", "poetry collection",
    "programming textbook", "fantasy trilogy box set", "language learning workbook",
  ],
  kitchen: [
    "air fryer", "chef's knife", "non-stick frying pan", "cast iron skillet", "coffee grinder",
    "espresso machine", "electric kettle", "blender", "stand mixer", "food storage containers",
    "cutting board", "rice cooker", "pressure cooker", "toaster", "water filter pitcher",
  ],
  clothing: [
    "rain jacket", "running shoes", "wool sweater", "jeans", "winter boots",
    "cotton t-shirt", "hiking socks", "down jacket", "summer dress", "leather belt",
    "baseball cap", "swimsuit", "pajama set",
  ],
  toys: [
    "building blocks set", "jigsaw puzzle", "remote control car", "plush teddy bear", "board game",
    "wooden train set", "doll house", "science experiment kit", "kids' scooter", "art and craft kit",
    "card game", "water gun",
  ],
  beauty: [
    "moisturizer", "sunscreen", "shampoo", "hair dryer", "electric toothbrush",
    "face serum", "lip balm", "perfume", "nail polish set", "beard trimmer",
    "makeup brush set", "hand cream",
  ],
  sports: [
    "yoga mat", "adjustable dumbbells", "tennis racket", "football", "cycling helmet",
    "camping tent", "sleeping bag", "hiking backpack", "water bottle", "resistance bands",
    "jump rope", "swimming goggles", "trekking poles",
  ],
  home: [
    "desk lamp", "office chair", "memory foam pillow", "bed sheets", "shower curtain",
    "bath towels", "area rug", "blackout curtains", "bookshelf", "scented candle",
    "wall clock", "storage baskets",
  ],
  garden: [
    "garden hose", "pruning shears", "lawn mower", "raised garden bed", "bird feeder",
    "solar garden lights", "watering can", "compost bin", "patio umbrella", "leaf blower",
  ],
  pets: [
    "dog bed", "cat scratching post", "dog leash", "automatic pet feeder", "cat litter box",
    "chew toy", "aquarium filter", "pet carrier", "dog shampoo", "bird cage",
  ],
};

export const PRODUCT_CATEGORIES: readonly string[] = Object.keys(PRODUCTS_BY_CATEGORY);

/** What a review can focus on. */
export const REVIEW_ASPECTS: readonly string[] = [
  "price and value for money",
  "build quality",
  "delivery and packaging",
  "customer service",
  "durability after a few months",
  "ease of use",
  "how well it matches the description",
  "design and look",
  "size and fit",
  "setup and instructions",
  "performance compared to expectations",
  "returns and refunds",
];
