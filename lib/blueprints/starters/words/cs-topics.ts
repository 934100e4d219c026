// Computer science and math topics with subtopics for the textbook starter
// (phi-1, "Textbooks Are All You Need", Gunasekar et al. 2023).
export const SUBTOPICS_BY_TOPIC: Readonly<Record<string, readonly string[]>> = {
  "Python basics": ["variables and assignment", "conditionals", "while and for loops", "functions and return values", "string formatting", "list comprehensions"],
  "data structures": ["lists and arrays", "stacks", "queues", "hash tables", "linked lists", "heaps and priority queues"],
  "algorithms": ["binary search", "sorting with merge sort", "quicksort and partitioning", "two-pointer technique", "sliding window", "greedy algorithms"],
  "recursion": ["base and recursive cases", "recursion on lists", "memoization", "backtracking", "divide and conquer", "tail recursion and its limits in Python"],
  "dynamic programming": ["overlapping subproblems", "Fibonacci with tabulation", "knapsack problem", "longest common subsequence", "edit distance", "coin change"],
  "graph algorithms": ["graph representations", "breadth-first search", "depth-first search", "Dijkstra's shortest paths", "topological sorting", "minimum spanning trees"],
  "trees": ["binary trees and traversals", "binary search trees", "tree height and balance", "tries", "segment trees", "lowest common ancestor"],
  "object-oriented programming": ["classes and instances", "inheritance", "composition over inheritance", "encapsulation and properties", "dunder methods", "abstract base classes"],
  "functional programming": ["pure functions", "higher-order functions", "map, filter and reduce", "closures", "lambda expressions", "immutability"],
  "complexity analysis": ["big-O notation", "time versus space complexity", "amortized analysis", "best, worst and average case", "complexity of nested loops", "logarithmic complexity"],
  "discrete mathematics": ["sets and set operations", "logic and truth tables", "proof by induction", "relations and functions", "graph theory basics", "pigeonhole principle"],
  "combinatorics and probability": ["permutations", "combinations", "binomial coefficients", "conditional probability", "expected value", "random simulations with the random module"],
  "linear algebra": ["vectors and dot products", "matrix multiplication", "solving linear systems", "determinants", "eigenvalues and eigenvectors", "matrix transpose and identity"],
  "number theory": ["prime numbers and the sieve of Eratosthenes", "greatest common divisor", "modular arithmetic", "fast exponentiation", "base conversion", "divisibility rules"],
  "calculus for programmers": ["numerical derivatives", "numerical integration with the trapezoid rule", "limits and convergence", "Newton's method", "Taylor series approximations", "gradient descent"],
  "statistics": ["mean, median and mode", "variance and standard deviation", "histograms", "correlation", "sampling and bias", "linear regression by least squares"],
  "string processing": ["string searching", "palindromes", "anagram detection", "regular expressions", "parsing simple formats", "run-length encoding"],
  "file input and output": ["reading text files", "writing files safely", "working with CSV files", "JSON serialization", "context managers", "handling file errors"],
  "error handling and testing": ["exceptions and try/except", "raising custom exceptions", "assertions", "unit tests with unittest", "testing edge cases", "debugging with print and logging"],
  "databases": ["relational tables and keys", "SQL SELECT queries", "joins", "indexes", "transactions", "using sqlite3 from Python"],
  "operating systems": ["processes and threads", "scheduling", "memory management and paging", "file systems", "deadlocks", "synchronization with locks"],
  "computer networks": ["the TCP/IP model", "HTTP requests and responses", "DNS", "sockets", "TCP versus UDP", "client-server architecture"],
  "concurrency": ["threads in Python", "the global interpreter lock", "multiprocessing", "async and await", "race conditions", "producer-consumer queues"],
  "machine learning basics": ["training and test splits", "k-nearest neighbors", "linear classifiers", "overfitting and regularization", "evaluation metrics", "k-means clustering"],
  "computer architecture": ["binary and hexadecimal numbers", "bitwise operations", "floating-point representation", "the memory hierarchy and caches", "instruction execution", "two's complement"],
  "cryptography basics": ["Caesar and substitution ciphers", "hash functions", "symmetric encryption", "public-key cryptography", "digital signatures", "password hashing"],
};

export const CS_TOPICS: readonly string[] = Object.keys(SUBTOPICS_BY_TOPIC);

/** Who the extract is written for; changes depth and tone. */
export const AUDIENCES: readonly string[] = [
  "high school student",
  "1st-year bachelor student",
  "CS undergraduate",
  "self-taught programmer",
  "bootcamp student",
  "master's student",
  "PhD candidate",
  "professional software engineer",
  "data scientist moving into software engineering",
  "math teacher learning to code",
];
